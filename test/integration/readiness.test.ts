import { DEVIN_CHECK_MS } from '../../src/ops/readiness';
import { FakeDevin } from '../support/fake-devin';
import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { FlakyStore } from '../support/flaky-store';
import { BOT_TOKEN, DEVIN_KEY, Harness, type HarnessOptions, SIGNING_SECRET } from '../support/harness';
import type { Json } from '../support/slack-signing';

type CheckBody = { ok: boolean; problem?: string; fix?: string };

interface Ready {
  status: number;
  text: string;
  body: {
    ok: boolean;
    status: string;
    mode: string;
    checks: Record<string, CheckBody>;
    peers: Record<string, CheckBody>;
    degraded: string[];
  };
}

let h: Harness | undefined;
let socket: FakeSocketMode | undefined;

afterEach(async () => {
  await h?.close();
  await socket?.close();
  h = undefined;
  socket = undefined;
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await Harness.start(options);
  return h;
}

async function readyz(app: Harness): Promise<Ready> {
  const res = await fetch(`${app.baseUrl}/readyz`);
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Ready['body'] };
}

/** The checks that fail, by name (the app cannot take and record events). */
const failing = (ready: Ready) =>
  Object.entries(ready.body.checks)
    .filter(([, check]) => !check.ok)
    .map(([name]) => name);

/** The peers that are down (the app runs degraded), by name. */
const degraded = (ready: Ready) => ready.body.degraded;

/** What `/metrics` says of a peer: 1 up, 0 down. */
async function peerUp(app: Harness, peer: string): Promise<number | undefined> {
  const text = await app.running.metrics.text();
  const line = text.split('\n').find((l) => l.startsWith(`devin_slack_peer_up{peer="${peer}"}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** Devin's key checks: the authenticated one-session reads readiness makes. */
const keyChecks = (app: Harness) =>
  app.devin.requests.filter((r) => r.method === 'GET' && r.path === '/v1/sessions').length;

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function expectNoSecret(text: string): void {
  for (const secret of [BOT_TOKEN, SIGNING_SECRET, DEVIN_KEY, 'xapp-1-test']) expect(text).not.toContain(secret);
}

describe('GET /readyz in HTTP mode', () => {
  it('answers 200 naming each check and peer, with no socket check', async () => {
    const app = await start();
    expect(await readyz(app)).toMatchObject({
      status: 200,
      body: {
        ok: true,
        status: 'ready',
        mode: 'http',
        checks: { store: { ok: true }, events: { ok: true } },
        peers: { slack: { ok: true }, devin: { ok: true } },
        degraded: [],
      },
    });
    expect((await readyz(app)).body.checks).not.toHaveProperty('socket');
    expect(await peerUp(app, 'devin')).toBe(1);
    expect(await peerUp(app, 'slack')).toBe(1);
  });

  it('stays ready while Devin is unreachable for over a minute, reporting it degraded, and delivers a reply sent meanwhile once it is back', async () => {
    const app = await start({ env: { DEVIN_RETRY_WINDOW_MS: '120000' } });
    const { sessionId, threadTs } = await app.linkedThread();
    const since = app.clock.now();
    // The key check, then ten attempts of the reply (about 75 s of backoff), find Devin's API unreachable.
    app.devin.unreachable(11);
    app.clock.advance(DEVIN_CHECK_MS);
    await app.running.readiness.checkDevin();
    const outage = await readyz(app);
    expect(outage.status).toBe(200);
    expect(outage.body).toMatchObject({ ok: true, status: 'degraded', degraded: ['devin'] });
    expect(outage.body.peers.devin).toEqual({
      ok: false,
      problem: expect.stringContaining("Devin's API could not be reached"),
      fix: expect.stringContaining('DEVIN_API_URL'),
    });
    expect(await peerUp(app, 'devin')).toBe(0);

    const ts = await app.reply(threadTs, 'ship it when you can');
    expect(await app.devin.waitForDelivered(sessionId, 1)).toEqual([
      'Alice (@alice, U1) via Slack: ship it when you can',
    ]);
    expect(app.devin.dropped).toBe(11);
    expect(app.clock.now() - since).toBeGreaterThan(60_000);
    await app.waitForReaction(ts, 'white_check_mark');
    await app.idle();
    expect(app.devin.delivered(sessionId)).toHaveLength(1);
    // Devin's success cleared it at once: ready again, and the change logged once each way.
    expect(await readyz(app)).toMatchObject({ status: 200, body: { status: 'ready', degraded: [] } });
    expect(await peerUp(app, 'devin')).toBe(1);
    const changes = app.logs.map((line) => JSON.parse(line) as Json).filter((l) => l.peer === 'devin');
    expect(changes.map((l) => [l.up, l.msg])).toEqual([
      [
        false,
        expect.stringMatching(
          /^Devin's API could not be reached: .*; degraded \(Slack's events are still taken and recorded\)$/,
        ),
      ],
      [true, "Devin's API accepts DEVIN_API_KEY again; no longer degraded"],
    ]);
  });

  it('answers 503 naming the store and its fix while the store fails, and 200 again once it answers', async () => {
    let flaky: FlakyStore | undefined;
    const app = await start({
      wrapStore: (store) => {
        flaky = new FlakyStore(store);
        return flaky;
      },
    });
    flaky?.down();
    const down = await readyz(app);
    expect(down.status).toBe(503);
    expect(failing(down)).toEqual(['store']);
    expect(down.body.checks.store).toEqual({
      ok: false,
      problem: expect.stringContaining('the store does not answer: store ping failed'),
      fix: expect.stringContaining('STORE_URL'),
    });
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);

    flaky?.up();
    expect(await readyz(app)).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('reports devin degraded once Devin refuses the key at a check, staying in service, and clears it after it is accepted and checked again', async () => {
    const app = await start();
    app.devin.apiKey = 'apk_another_key';
    // Checked at start a moment ago: not asked again yet.
    await app.running.readiness.checkDevin();
    expect((await readyz(app)).body.status).toBe('ready');

    app.clock.advance(DEVIN_CHECK_MS);
    await app.running.readiness.checkDevin();
    const refused = await readyz(app);
    expect(refused.status).toBe(200);
    expect(failing(refused)).toEqual([]);
    expect(degraded(refused)).toEqual(['devin']);
    expect(refused.body.peers.devin).toEqual({
      ok: false,
      problem: "Devin's API refused DEVIN_API_KEY (HTTP 401: Invalid API key)",
      fix: expect.stringContaining('DEVIN_API_KEY'),
    });
    expectNoSecret(refused.text);

    app.devin.apiKey = DEVIN_KEY;
    app.clock.advance(DEVIN_CHECK_MS);
    await app.running.readiness.checkDevin();
    expect(await readyz(app)).toMatchObject({ status: 200, body: { ok: true, status: 'ready' } });
  });

  it('names devin with what its API answered when the check fails otherwise', async () => {
    const app = await start();
    app.devin.script('GET', '/v1/sessions', [{ status: 502, body: 'Bad Gateway' }]);
    app.clock.advance(DEVIN_CHECK_MS);
    await app.running.readiness.checkDevin();
    expect((await readyz(app)).body.peers.devin).toEqual({
      ok: false,
      problem: "Devin's API answered the key check with HTTP 502: Bad Gateway",
      fix: expect.stringContaining('checked again every minute'),
    });
  });

  it('names devin as unreachable when its API does not answer the check, and starts anyway', async () => {
    const devin = await FakeDevin.start({ apiKey: DEVIN_KEY });
    devin.hangNext('GET', '/v1/sessions');
    const app = await start({ devin });
    const ready = await readyz(app);
    expect(ready.status).toBe(200);
    expect(degraded(ready)).toEqual(['devin']);
    expect(ready.body.peers.devin).toEqual({
      ok: false,
      problem: expect.stringContaining("Devin's API could not be reached: GET /v1/sessions?limit=1 failed"),
      fix: expect.stringContaining('DEVIN_API_URL'),
    });
    const line = await app.waitForLog((entry) => entry.msg === 'devin-slack is ready');
    expect(line).toMatchObject({ degraded: ['devin'] });
    expect(line).not.toHaveProperty('not_ready');
  });

  it('asks Devin at start and then at most once a minute, never per request', async () => {
    const app = await start();
    expect(keyChecks(app)).toBe(1);
    for (let i = 0; i < 20; i++) expect((await readyz(app)).status).toBe(200);
    expect(keyChecks(app)).toBe(1);

    app.clock.advance(DEVIN_CHECK_MS - 1);
    await app.running.readiness.checkDevin();
    expect(keyChecks(app)).toBe(1);
    app.clock.advance(1);
    await Promise.all([app.running.readiness.checkDevin(), app.running.readiness.checkDevin()]);
    expect(keyChecks(app)).toBe(2);
    await app.running.readiness.checkDevin();
    expect(keyChecks(app)).toBe(2);
  });

  it('checks again on its timer once a minute has passed, and not before', async () => {
    const app = await start({ devinCheckTickMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(keyChecks(app)).toBe(1);

    app.devin.apiKey = 'apk_another_key';
    app.clock.advance(DEVIN_CHECK_MS);
    await until(async () => (await readyz(app)).body.status === 'degraded');
    expect(keyChecks(app)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(keyChecks(app)).toBe(2);
  });

  it('marks devin failing as soon as delivery sees the key refused, and clears it at the next success', async () => {
    const app = await start();
    const { sessionId, threadTs } = await app.linkedThread();
    const checksBefore = keyChecks(app);
    app.devin.apiKey = 'apk_another_key';
    const ts = await app.reply(threadTs, 'deploy please');
    await app.waitForReaction(ts, 'warning');
    const refused = await readyz(app);
    expect(degraded(refused)).toEqual(['devin']);
    expect(keyChecks(app)).toBe(checksBefore);

    app.devin.apiKey = DEVIN_KEY;
    app.devin.say(sessionId, 'ev-1', 'still here');
    await app.poll(10_000);
    expect(await readyz(app)).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('reports slack degraded when auth.test failed at start-up, asks again a minute later, and relays meanwhile', async () => {
    const slack = await FakeSlack.start();
    slack.failNext('auth.test', { body: { ok: false, error: 'invalid_auth', echoed: BOT_TOKEN } });
    const app = await start({ slack });
    const ready = await readyz(app);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(degraded(ready)).toEqual(['slack']);
    expect(ready.body.peers.slack).toEqual({
      ok: false,
      problem: expect.stringContaining('Slack did not accept auth.test: '),
      fix: expect.stringContaining('SLACK_BOT_TOKEN'),
    });
    expect(ready.body.peers.slack?.problem).toContain('invalid_auth');
    expect(ready.body.peers.slack?.fix).toContain('SLACK_API_URL');
    expect(await peerUp(app, 'slack')).toBe(0);
    expectNoSecret(ready.text);
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
    // Asked again at most once a minute: before that the answer stands, after it Slack's yes makes the app ready.
    const calls = () => app.slack.callsTo('auth.test').length;
    const before = calls();
    await app.running.readiness.checkSlack();
    expect(calls()).toBe(before);
    app.clock.advance(DEVIN_CHECK_MS);
    await app.running.readiness.checkSlack();
    expect(calls()).toBe(before + 1);
    expect(await readyz(app)).toMatchObject({ status: 200, body: { status: 'ready' } });
    await app.waitForLog(
      (l) => l.msg === "Slack's Web API answers and accepts the bot token again; no longer degraded" && l.up === true,
    );
    expect(await peerUp(app, 'slack')).toBe(1);

    const { sessionId, threadTs } = await app.linkedThread();
    await app.reply(threadTs, 'still heard');
    expect(await app.devin.waitForDelivered(sessionId, 1)).toEqual(['Alice (@alice, U1) via Slack: still heard']);
  });

  it("reports slack degraded while Slack's Web API does not answer the app's calls, and clears it at the next answer", async () => {
    const app = await start();
    const { threadTs } = await app.linkedThread();
    app.slack.down();
    const ts = await app.reply(threadTs, 'while Slack is down');
    await until(async () => (await readyz(app)).body.status === 'degraded');
    const outage = await readyz(app);
    expect(outage.status).toBe(200);
    expect(outage.body.peers.slack).toEqual({
      ok: false,
      problem: expect.stringMatching(/^Slack's Web API did not answer: reactions\.add answered HTTP 503$/),
      fix: expect.stringContaining('status.slack.com'),
    });
    app.slack.up();
    await app.waitForReaction(ts, 'white_check_mark');
    await until(async () => (await readyz(app)).body.status === 'ready');
  });

  it('answers 503 naming the store, and keeps every secret out of a body that names every failing check and peer', async () => {
    const slack = await FakeSlack.start();
    slack.failNext('auth.test', { body: { ok: false, error: 'invalid_auth', token: BOT_TOKEN } });
    let flaky: FlakyStore | undefined;
    const app = await start({
      slack,
      wrapStore: (store) => {
        flaky = new FlakyStore(store);
        return flaky;
      },
    });
    app.devin.script('GET', '/v1/sessions', [
      { status: 401, body: { detail: `key Bearer ${DEVIN_KEY} refused; signed ${SIGNING_SECRET}` } },
    ]);
    app.clock.advance(DEVIN_CHECK_MS);
    await app.running.readiness.checkDevin();
    flaky?.down();
    const ready = await readyz(app);
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('not_ready');
    expect(failing(ready)).toEqual(['store']);
    expect(degraded(ready).sort()).toEqual(['devin', 'slack']);
    expect(ready.body.peers.devin?.problem).toContain('[redacted]');
    expectNoSecret(ready.text);
  });
});

describe('GET /readyz in Socket Mode', () => {
  beforeEach(async () => {
    socket = await FakeSocketMode.start();
    const slack = await FakeSlack.start();
    slack.socketUrl = socket.url;
    await start({ slack, env: { SLACK_APP_TOKEN: 'xapp-1-test', SLACK_SIGNING_SECRET: '' } });
  });

  it('answers 200 while connected, 503 naming socket once the connection drops, and 200 when it is back', async () => {
    const app = h as Harness;
    expect(await readyz(app)).toMatchObject({
      status: 200,
      body: { ok: true, mode: 'socket', checks: { socket: { ok: true } } },
    });

    const connections = socket?.connections.length ?? 0;
    socket?.drop();
    await until(async () => (await readyz(app)).status === 503);
    const dropped = await readyz(app);
    expect(failing(dropped)).toEqual(['socket']);
    expect(dropped.body.checks.socket).toEqual({
      ok: false,
      problem: 'the Socket Mode connection to Slack is not open',
      fix: expect.stringContaining('SLACK_APP_TOKEN'),
    });
    expectNoSecret(dropped.text);

    // Slack's client reconnects by itself (after about 5 s).
    await until(async () => (await readyz(app)).status === 200, 15_000);
    expect(socket?.connections.length).toBe(connections + 1);
  }, 30_000);

  it('reports the start-up in Socket Mode', async () => {
    const app = h as Harness;
    const line = await app.waitForLog((entry: Json) => entry.msg === 'devin-slack is ready');
    expect(line).toMatchObject({ mode: 'socket', port: app.running.port });
  });
});
