import { Harness } from '../support/harness';
import { PrivateRedis } from '../support/private-redis';
import { threadReply } from '../support/slack-signing';

jest.setTimeout(30_000);

const MESSAGE_PATH = '/v1/sessions/:id/message';

let redis: PrivateRedis;
let h: Harness;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeEach(async () => {
  rejections.length = 0;
  process.on('unhandledRejection', onRejection);
  redis = await PrivateRedis.start();
});

afterEach(async () => {
  process.off('unhandledRejection', onRejection);
  redis.resume();
  await h?.close();
  await redis.stop();
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.baseUrl}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('answers Slack with a 5xx within 2 s while Redis hangs, stays alive, and relays the redelivery once it is back', async () => {
  h = await Harness.start({ storeUrl: redis.url });
  const { sessionId, threadTs } = await h.linkedThread();
  await h.reply(threadTs, 'before the outage');
  await h.devin.waitForDelivered(sessionId, 1);

  redis.pause();
  const payload = threadReply(threadTs, 'during the outage');
  const started = Date.now();
  const refused = await h.event(payload);
  const answeredIn = Date.now() - started;
  expect(refused.status).toBeGreaterThanOrEqual(500);
  expect(answeredIn).toBeLessThan(2000);

  expect(await get('/healthz')).toEqual({ status: 200, body: { ok: true, mode: 'http' } });
  const notReady = await get('/readyz');
  expect(notReady.status).toBe(503);
  expect(notReady.body).toMatchObject({
    ok: false,
    checks: { store: { ok: false, fix: expect.stringContaining('STORE_URL') } },
  });
  const { store } = notReady.body.checks as Record<string, { problem: string }>;
  expect(store?.problem).toContain('the store does not answer: store ping timed out');
  expect(store?.problem).toContain(redis.url);

  redis.resume();
  await until(async () => (await get('/readyz')).status === 200);
  // Slack sends the unanswered event again.
  expect((await h.event(payload, { retryNum: 1, retryReason: 'http_error' })).status).toBe(200);
  expect(await h.devin.waitForDelivered(sessionId, 2)).toEqual([
    'Alice (@alice, U1) via Slack: before the outage',
    'Alice (@alice, U1) via Slack: during the outage',
  ]);
  await h.idle();
  expect(h.devin.delivered(sessionId)).toHaveLength(2);
  expect(rejections).toEqual([]);
});

it('keeps polling and delivering through a Redis that hangs, without a failure escaping, and resumes by itself', async () => {
  h = await Harness.start({ storeUrl: redis.url, sweepMs: 200 });
  const { sessionId, threadTs } = await h.linkedThread();
  // Devin takes the reply, but answers only once Redis has stopped answering.
  h.devin.script('POST', MESSAGE_PATH, [{ delayMs: 1500, thenDeliver: true }]);
  const replyTs = await h.reply(threadTs, 'in flight as Redis hangs');
  await until(async () => h.devin.requests.some((r) => r.method === 'POST' && r.path.endsWith('/message')));
  redis.pause();
  h.devin.say(sessionId, 'ev-news', 'news while the store hangs');
  h.clock.advance(10_000);
  // A polling round whose store calls fail ends without throwing; so does the sweep.
  await expect(h.running.poller.tick()).resolves.toBeUndefined();
  await h.waitForLog((entry) => entry.msg === 'delivery stopped by an error', 10_000);

  redis.resume();
  // Devin has the reply: its receipt says so, and the reply is not sent again, whether the store's removal of it was
  // applied late (when Redis woke up) or not at all (then the sweep finds it, and the session, read first, has it).
  await h.waitForReaction(replyTs, 'white_check_mark');
  await h.running.deliverer.idle();
  h.clock.advance(10_000);
  await h.running.poller.tick();
  await h.slack.waitFor('chat.postMessage', (args) => String(args.text).includes('news while the store hangs'));
  await h.idle();
  expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: in flight as Redis hangs']);
  expect(rejections).toEqual([]);
});

it('refuses new events with 503 once stopping, lets the request in flight end within 5 s, and gives its leases back', async () => {
  h = await Harness.start({ storeUrl: redis.url, env: { DEVIN_REQUEST_TIMEOUT_MS: '30000' } });
  const { sessionId, threadTs } = await h.linkedThread();
  h.devin.hangNext('POST', MESSAGE_PATH);
  await h.reply(threadTs, 'sent as the app stops');
  await until(async () => h.devin.requests.some((r) => r.method === 'POST' && r.path.endsWith('/message')));
  expect(await h.store.claimed(`lease:deliver:${sessionId}`)).toBe(true);

  const started = Date.now();
  const stopping = h.running.stop();
  const refused = await h.event(threadReply(threadTs, 'too late'));
  expect(refused.status).toBe(503);
  expect(refused.headers['retry-after']).toBe('5');
  // Alive, but no longer taking events.
  expect((await get('/healthz')).status).toBe(200);
  expect(await get('/readyz')).toMatchObject({
    status: 503,
    body: { checks: { events: { ok: false, problem: expect.stringContaining('stopping') } } },
  });
  await stopping;
  expect(Date.now() - started).toBeLessThan(7000);
  expect(await h.store.claimed(`lease:deliver:${sessionId}`)).toBe(false);
});
