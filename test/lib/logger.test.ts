import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { createLogger, type LoggerOptions } from '../../src/lib/logger';

const BOT_TOKEN = 'xoxb-logger-secret-4242';
const DEVIN_KEY = 'apk_logger_secret_9191';

function capture(options: Partial<LoggerOptions> = {}) {
  const lines: string[] = [];
  const log = createLogger({
    level: 'debug',
    secrets: [BOT_TOKEN, DEVIN_KEY, undefined],
    ...options,
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
  });
  const output = () => lines.join('\n');
  return { log, lines, output };
}

describe('secrets', () => {
  it('never writes a secret that appears in a message or a plain field', () => {
    const { log, output } = capture();
    log.info({ note: `the key is ${DEVIN_KEY}` }, `calling Slack with ${BOT_TOKEN}`);
    expect(output()).toContain('[redacted]');
    expect(output()).toContain('calling Slack with');
    expect(output()).not.toContain(BOT_TOKEN);
    expect(output()).not.toContain(DEVIN_KEY);
  });

  it('never writes a secret inside an error message, its stack or its cause', () => {
    const { log, output } = capture();
    const cause = new Error(`upstream refused ${DEVIN_KEY}`);
    const error = new Error(`request with token ${BOT_TOKEN} failed`, { cause });
    log.error({ err: error }, 'delivery failed');
    const line = JSON.parse(output());
    expect(line.err.message).toBe('request with token [redacted] failed: upstream refused [redacted]');
    expect(line.err.stack).toContain('caused by: Error: upstream refused [redacted]');
    expect(output()).not.toContain(BOT_TOKEN);
    expect(output()).not.toContain(DEVIN_KEY);
  });

  it('never writes a secret nested deep in an object or an array', () => {
    const { log, output } = capture();
    log.warn({ request: { body: { config: { keys: ['other', `Bearer ${DEVIN_KEY}`] } }, url: BOT_TOKEN } }, 'odd');
    const line = JSON.parse(output());
    expect(line.request.body.config.keys).toEqual(['other', 'Bearer [redacted]']);
    expect(output()).not.toContain(BOT_TOKEN);
    expect(output()).not.toContain(DEVIN_KEY);
  });

  it('redacts authorization headers and token fields even when their value is not a known secret', () => {
    const { log, output } = capture();
    log.info(
      {
        req: { headers: { authorization: 'Bearer someone-elses-token', accept: 'application/json' } },
        authorization: `Bearer ${DEVIN_KEY}`,
        client: { token: 'xoxb-unknown-token', apiKey: 'apk_unknown_key' },
      },
      'outgoing request',
    );
    const line = JSON.parse(output());
    expect(line.req.headers).toEqual({ authorization: '[redacted]', accept: 'application/json' });
    expect(line.authorization).toBe('[redacted]');
    expect(line.client).toEqual({ token: '[redacted]', apiKey: '[redacted]' });
    expect(output()).not.toMatch(/someone-elses-token|xoxb-unknown-token|apk_unknown_key|apk_logger/);
  });

  it('replaces every occurrence of a secret, not only the first', () => {
    const { log, output } = capture();
    log.info(`${BOT_TOKEN} and again ${BOT_TOKEN}`);
    expect(JSON.parse(output()).msg).toBe('[redacted] and again [redacted]');
  });
});

describe('levels', () => {
  it('writes only messages at or above the configured level', () => {
    const { log, lines } = capture({ level: 'warn' });
    log.debug('debug line');
    log.info('info line');
    log.warn('warn line');
    log.error('error line');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['warn line', 'error line']);
  });

  it('writes debug messages when the level is debug', () => {
    const { log, lines } = capture({ level: 'debug' });
    log.debug('debug line');
    log.info('info line');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['debug line', 'info line']);
  });

  it('tags every line with the app name, its process id and host name, as JSON', () => {
    const { log, lines } = capture({ level: 'info' });
    log.info({ session_id: 'devin-1' }, 'hello');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      app: 'devin-slack',
      pid: process.pid,
      hostname: hostname(),
      session_id: 'devin-1',
      msg: 'hello',
    });
  });
});

describe('pretty lines', () => {
  /** pino-pretty writes through a stream: its lines arrive a moment later. */
  const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('writes human-readable lines instead of JSON, with the message and its fields', async () => {
    const { log, lines, output } = capture({ pretty: true });
    log.info({ session_id: 'devin-1', outcome: 'delivered' }, 'reply delivered');
    await settled();
    expect(lines.length).toBeGreaterThan(0);
    expect(() => JSON.parse(lines[0] ?? '')).toThrow();
    expect(output()).toMatch(/INFO.*reply delivered/);
    expect(output()).toContain('devin-1');
    expect(output()).toContain('outcome: "delivered"');
  });

  it('keeps secrets out of pretty lines too: in the message, in fields and in errors', async () => {
    const { log, output } = capture({ pretty: true });
    log.info({ note: `the key is ${DEVIN_KEY}`, client: { token: 'xoxb-unknown-token' } }, `calling with ${BOT_TOKEN}`);
    log.error({ err: new Error(`refused ${DEVIN_KEY}`) }, 'delivery failed');
    await settled();
    expect(output()).toContain('[redacted]');
    expect(output()).toContain('calling with');
    expect(output()).not.toMatch(/xoxb-logger-secret|apk_logger_secret|xoxb-unknown-token/);
  });

  it('falls back to JSON lines, saying so once, when pino-pretty cannot be loaded', () => {
    const { log, lines } = capture({
      pretty: true,
      loadPretty: () => {
        throw new Error("Cannot find module 'pino-pretty'");
      },
    });
    log.info('hello');
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.map((l) => l.msg)).toEqual(['pino-pretty could not be loaded; logging JSON lines', 'hello']);
    expect(parsed[0].level).toBe(40);
  });
});
