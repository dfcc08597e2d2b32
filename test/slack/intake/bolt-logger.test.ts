import { Writable } from 'node:stream';
import fc from 'fast-check';
import { createLogger } from '../../../src/lib/logger';
import { boltLogger, boundLine, MAX_BOLT_LINE } from '../../../src/slack/intake/bolt-logger';

const SECRET = 'xoxb-1234567890-abcdefSECRET';

function boltLines(secrets: string[] = [SECRET]) {
  const lines: string[] = [];
  const log = createLogger({
    level: 'debug',
    secrets,
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
  });
  return { logger: boltLogger(log), messages: () => lines.map((line) => String(JSON.parse(line).msg)) };
}

describe('boundLine', () => {
  it('keeps a short line as it is', () => {
    expect(boundLine('apiCall(chat.postMessage) start')).toBe('apiCall(chat.postMessage) start');
  });

  it('keeps a short prefix of a long body and says how much was left out', () => {
    const body = `http request body: {"channel":"C1","text":"${'a paragraph of text, '.repeat(200)}"}`;

    const bounded = boundLine(body);
    expect(bounded.startsWith('http request body: {"channel":"C1","text":"a paragraph of text, ')).toBe(true);
    expect(bounded.length).toBeLessThan(MAX_BOLT_LINE + 50);
    expect(bounded).toMatch(/… \[\d+ more characters not logged\]$/);
  });

  it('steps back out of a token rather than cut it in half', () => {
    const line = `${'x '.repeat(95)}Bearer ${SECRET} and the rest of the line`;

    expect(boundLine(line)).toBe(`${'x '.repeat(95)}Bearer … [${line.length - 197} more characters not logged]`);
  });

  it('never leaves half of a surrogate pair', () => {
    const bounded = boundLine(`a${'😀'.repeat(300)}`);
    expect(bounded.slice(0, bounded.indexOf('…'))).toBe(`a${'😀'.repeat(99)}`);
  });
});

describe('boltLogger', () => {
  it('logs Bolt lines at their level, each bounded', () => {
    const { logger, messages } = boltLines();

    logger.debug('http request body:', JSON.stringify({ text: 'why '.repeat(1000) }));
    logger.warn('http request failed', new Error('socket hang up'));
    expect(messages()).toEqual([
      expect.stringMatching(/^http request body: \{"text":"(why )+… \[\d+ more/),
      'http request failed socket hang up',
    ]);
    expect(messages()[0]?.length).toBeLessThan(MAX_BOLT_LINE + 50);
  });

  it('never logs any part of a secret, wherever a long line puts it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.string({ maxLength: 400 }), (before, after) => {
        const { logger, messages } = boltLines();
        logger.debug(`${before}Authorization: Bearer ${SECRET}${after}`);
        const [logged = ''] = messages();
        expect(logged).not.toContain(SECRET.slice(0, 12));
        expect(logged).not.toContain(SECRET.slice(-12));
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });
});
