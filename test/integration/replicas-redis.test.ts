import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, appEnv } from '../support/app-process';
import { FakeDevin } from '../support/fake-devin';
import { FakeSlack } from '../support/fake-slack';
import { recordFigure } from '../support/figures';
import { DEVIN_KEY, Harness } from '../support/harness';
import { PrivateRedis } from '../support/private-redis';
import { freshRedisUrl } from '../support/redis-test-url';
import { type PostResult, threadReply } from '../support/slack-signing';

// Replicas that share one Redis database: in one process (fast), or as child processes that can be killed.
jest.setTimeout(60_000);

const MESSAGE_PATH = '/v1/sessions/:id/message';
/** A replica that died holding a session's lease: its lease lapses in 10 s, and a sweep every 5 s takes the work. */
const TAKEOVER_BOUND_MS = 20_000;
/** Every Redis call is bounded at 1 s; with what surrounds it, Slack has an answer in about 2 s. */
const STALLED_ANSWER_BOUND_MS = 3_000;

let slack: FakeSlack;
let devin: FakeDevin;
let dir: string;

beforeEach(async () => {
  slack = await FakeSlack.start();
  devin = await FakeDevin.start({ apiKey: DEVIN_KEY });
  dir = mkdtempSync(join(tmpdir(), 'devin-slack-replicas-'));
});

afterEach(async () => {
  await AppProcess.killAll();
  await slack.close();
  await devin.close();
  rmSync(dir, { recursive: true, force: true });
});

const words = (text: string) => `Alice (@alice, U1) via Slack: ${text}`;

/** Texts that reached the session more than once. */
function twice(sessionId: string): string[] {
  const texts = devin.delivered(sessionId);
  return texts.filter((text, i) => texts.indexOf(text) !== i);
}

describe('two replicas in one process on one Redis database', () => {
  let replicas: Harness[] = [];

  beforeEach(async () => {
    const storeUrl = await freshRedisUrl(9);
    // The production sweep: a reply recorded by one replica while the other was finishing its drain is picked up.
    const options = { storeUrl, slack, devin, dir, sweepMs: 5_000 };
    replicas = [await Harness.start(options), await Harness.start(options)];
  });

  afterEach(async () => {
    await Promise.all(replicas.map((replica) => replica.stopApp().catch(() => undefined)));
    replicas = [];
  });

  it('relays each of 50 events sent to both replicas at the same time exactly once', async () => {
    const [a, b] = replicas as [Harness, Harness];
    const { sessionId, threadTs } = await a.linkedThread();
    const texts = Array.from({ length: 50 }, (_, i) => `reply ${i + 1} of 50`);
    const payloads = texts.map((text) => threadReply(threadTs, text));

    const answers = await Promise.all(payloads.flatMap((payload) => [a.event(payload), b.event(payload)]));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    await devin.waitForDelivered(sessionId, 50, 20_000);
    await Promise.all([a.idle(), b.idle()]);

    expect(twice(sessionId)).toEqual([]);
    expect([...devin.delivered(sessionId)].sort()).toEqual(texts.map(words).sort());
  });

  it('delivers 30 replies sent in turn to one replica and the other in the order they were written', async () => {
    const { sessionId, threadTs } = await (replicas[0] as Harness).linkedThread();
    const texts = Array.from({ length: 30 }, (_, i) => `step ${String(i + 1).padStart(2, '0')}`);

    for (const [i, text] of texts.entries()) await (replicas[i % 2] as Harness).reply(threadTs, text);

    expect(await devin.waitForDelivered(sessionId, 30, 20_000)).toEqual(texts.map(words));
    await Promise.all(replicas.map((replica) => replica.idle()));
    expect(devin.delivered(sessionId)).toHaveLength(30);
  });
});

it('lets the other replica deliver, once, a reply whose replica was killed while retrying it', async () => {
  const env = appEnv(slack, devin, await freshRedisUrl(10));
  const [a, b] = await Promise.all([AppProcess.start(env), AppProcess.start(env)]);
  const sessionId = devin.addSession().session_id;
  const threadTs = await a.linkSession(slack, sessionId);
  devin.script(
    'POST',
    MESSAGE_PATH,
    Array.from({ length: 100 }, () => ({ status: 503, body: { detail: 'overloaded' } })),
  );

  const { answer } = await a.reply(threadTs, 'its replica died while retrying');
  expect(answer.status).toBe(200);
  // Retrying in replica A: A holds the session's delivery lease.
  await a.waitForLog((l) => l.msg === 'delivery failed; retrying');
  expect(b.logged('delivery failed; retrying')).toEqual([]);
  a.kill('SIGKILL');
  const killedAt = Date.now();
  await a.exited;
  devin.reset(); // Devin is healthy again.

  await devin.waitForDelivered(sessionId, 1, TAKEOVER_BOUND_MS + 10_000);
  const post = devin.requests.find((r) => r.method === 'POST' && r.path.endsWith('/message'));
  const takeoverMs = (post?.at ?? Number.NaN) - killedAt;
  recordFigure('redis takeover by the other replica after kill -9', takeoverMs, { startMs: [a.startMs, b.startMs] });
  expect(takeoverMs).toBeLessThan(TAKEOVER_BOUND_MS);

  await b.waitForLog((l) => l.msg === 'reply delivered');
  const after = await b.reply(threadTs, 'after the takeover');
  expect(after.answer.status).toBe(200);
  expect(await devin.waitForDelivered(sessionId, 2, 10_000)).toEqual([
    words('its replica died while retrying'),
    words('after the takeover'),
  ]);
  expect(b.running).toBe(true);
});

it('fences a replica that stalled while retrying: the other delivers the reply, and the stalled one sends nothing when it wakes', async () => {
  const env = appEnv(slack, devin, await freshRedisUrl(10));
  const [a, b] = await Promise.all([AppProcess.start(env), AppProcess.start(env)]);
  const sessionId = devin.addSession().session_id;
  const threadTs = await a.linkSession(slack, sessionId);
  devin.script(
    'POST',
    MESSAGE_PATH,
    Array.from({ length: 100 }, () => ({ status: 503, body: { detail: 'overloaded' } })),
  );
  expect((await a.reply(threadTs, 'its replica stalled while retrying')).answer.status).toBe(200);
  await a.waitForLog((l) => l.msg === 'delivery failed; retrying');
  // A long pause of A (a stop-the-world collection, a frozen VM) while it waits to retry: its lease lapses.
  a.pause();
  const pausedAt = Date.now();
  devin.reset();
  await devin.waitForDelivered(sessionId, 1, TAKEOVER_BOUND_MS + 10_000);
  recordFigure('redis takeover from a stalled replica', Date.now() - pausedAt, {});
  await b.waitForLog((l) => l.msg === 'reply delivered');
  const posts = () => devin.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/message')).length;
  const before = posts();

  a.resume();
  // A wakes up inside its retry loop: its lease check fails before the attempt, so it stops without sending.
  await a.waitForLog((l) => l.msg === 'delivery stopped before an attempt', 15_000);
  expect(posts()).toBe(before);
  expect(devin.delivered(sessionId)).toEqual([words('its replica stalled while retrying')]);
  expect(a.running).toBe(true);
});

describe('a Redis that stops answering', () => {
  let redis: PrivateRedis | undefined;

  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
  });

  /** Sends an event and says how long its answer took (a request that hangs ends at 10 s with an error). */
  async function timed(app: AppProcess, payload: object, retryNum?: number) {
    const sentAt = Date.now();
    const options = retryNum === undefined ? {} : { retryNum, retryReason: 'http_error' };
    const answer: PostResult | Error = await app.event(payload, options).catch((error: Error) => error);
    return { answer, status: answer instanceof Error ? answer.message : answer.status, ms: Date.now() - sentAt };
  }

  it('answers 5xx quickly while Redis is paused, loses no reply that got a 200, doubles none, and stays up', async () => {
    redis = await PrivateRedis.start();
    const app = await AppProcess.start(appEnv(slack, devin, redis.url));
    const sessionId = devin.addSession().session_id;
    const threadTs = await app.linkSession(slack, sessionId);

    // Traffic: replies on their way to Devin when Redis stops; Devin takes the first and answers it late, by when
    // the app cannot write that it was delivered.
    devin.script('POST', MESSAGE_PATH, [{ delayMs: 1_500, thenDeliver: true }]);
    const before = Array.from({ length: 5 }, (_, i) => threadReply(threadTs, `before the pause ${i + 1}`));
    for (const payload of before) expect((await app.event(payload)).status).toBe(200);
    await devin.waitForRequest('POST', MESSAGE_PATH);
    redis.pause();
    const pausedAt = Date.now();
    // Slack goes on sending, one event after another, while Redis answers nothing (a pause of about 4 s).
    const during = Array.from({ length: 4 }, (_, i) => threadReply(threadTs, `during the pause ${i + 1}`));
    const stalled: Array<Awaited<ReturnType<typeof timed>>> = [];
    for (const payload of during) stalled.push(await timed(app, payload));
    redis.resume();
    recordFigure('answers to Slack while Redis is paused (slowest)', Math.max(...stalled.map((s) => s.ms)), {
      pausedMs: Date.now() - pausedAt,
      answers: stalled.map((s) => ({ status: s.status, ms: s.ms })),
    });
    for (const s of stalled) {
      expect(typeof s.status === 'number' && s.status >= 500).toBe(true);
      expect(s.ms).toBeLessThan(STALLED_ANSWER_BOUND_MS);
    }

    // Slack sends again whatever did not get a 200, up to three times.
    const got200 = [...before];
    for (const [i, payload] of during.entries()) {
      let status = stalled[i]?.status;
      for (let retryNum = 1; status !== 200 && retryNum <= 3; retryNum += 1) {
        status = (await timed(app, payload, retryNum)).status;
      }
      expect(status).toBe(200);
      got200.push(payload);
    }
    const after = threadReply(threadTs, 'after the pause');
    expect((await app.event(after)).status).toBe(200);
    got200.push(after);

    const expected = got200.map((payload) => words(String(payload.event.text)));
    await devin.waitForDelivered(sessionId, expected.length, 30_000);
    // A last reply drains behind anything still waiting: nothing arrives twice, even late.
    expect((await app.event(threadReply(threadTs, 'the last one'))).status).toBe(200);
    const delivered = await devin.waitForDelivered(sessionId, expected.length + 1, 30_000);
    require('node:fs').writeFileSync('/tmp/pause-debug.log', app.output.join('\n'));
    expect(twice(sessionId)).toEqual([]);
    expect([...delivered].sort()).toEqual([...expected, words('the last one')].sort());
    expect(app.running).toBe(true);
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
  });
});
