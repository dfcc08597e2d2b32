import { createStore } from '../../src/store/create-store';
import { Harness } from '../support/harness';
import { withoutOrigin } from '../support/prompts';
import { freshRedisUrl } from '../support/redis-test-url';
import { appMentionEvent, threadReply } from '../support/slack-signing';

let storeUrl = '';
beforeAll(async () => {
  storeUrl = await freshRedisUrl(11);
});

let replicas: Harness[] = [];
/** Threads and sessions this test bound, whose keys have no expiry: removed after the test. */
let bound: Array<{ sessionId: string; threadTs: string }> = [];

afterEach(async () => {
  for (const replica of replicas) await replica.idle().catch(() => undefined);
  for (const replica of [...replicas].reverse()) await replica.close();
  replicas = [];
  const store = await createStore(storeUrl);
  try {
    for (const { sessionId, threadTs } of bound) {
      await store.delete(`thread:T1:C1:${threadTs}`);
      await store.delete(`session:${sessionId}`);
      await store.delete(`notice:T1:C1:${threadTs}`);
    }
  } finally {
    bound = [];
    await store.close();
  }
});

/** `count` app instances on one Redis, sharing one fake Slack and one fake Devin, like replicas behind a balancer. */
async function startReplicas(count: number): Promise<Harness[]> {
  const first = await Harness.start({ storeUrl });
  replicas.push(first);
  for (let i = 1; i < count; i += 1) {
    replicas.push(await Harness.start({ storeUrl, slack: first.slack, devin: first.devin }));
  }
  return replicas;
}

async function linked(h: Harness): Promise<{ sessionId: string; threadTs: string }> {
  const thread = await h.linkedThread();
  bound.push(thread);
  return thread;
}

it('binds a thread and delivers a reply with the store on Redis', async () => {
  const [h] = await startReplicas(1);
  if (!h) throw new Error('no replica');
  const { sessionId, threadTs } = await linked(h);
  const reply = threadReply(threadTs, 'hello from redis');
  const res = await h.event(reply);
  expect(res.status).toBe(200);
  expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual(['Alice (@alice, U1) via Slack: hello from redis']);
  const reaction = await h.slack.waitFor('reactions.add', (args) => args.timestamp === reply.event.ts);
  expect(reaction.name).toBe('white_check_mark');
});

it('lets a thread bound through one replica be steered through another', async () => {
  const [a, b] = await startReplicas(2);
  if (!a || !b) throw new Error('no replicas');
  const { sessionId, threadTs } = await linked(a);
  await b.event(threadReply(threadTs, 'via the other replica'));
  expect(await a.devin.waitForDelivered(sessionId, 1)).toEqual(['Alice (@alice, U1) via Slack: via the other replica']);
});

it('relays an event once when Slack delivers it to two replicas', async () => {
  const [a, b] = await startReplicas(2);
  if (!a || !b) throw new Error('no replicas');
  const { sessionId, threadTs } = await linked(a);
  const event = threadReply(threadTs, 'said once');
  const answers = await Promise.all([a.event(event), b.event(event, { retryNum: 1, retryReason: 'http_timeout' })]);
  expect(answers.map((r) => r.status)).toEqual([200, 200]);
  await a.devin.waitForDelivered(sessionId, 1);

  // A later retry to either replica is not relayed either; a new message still is.
  await b.event(event, { retryNum: 2, retryReason: 'http_timeout' });
  await a.event(threadReply(threadTs, 'said next'));
  await a.devin.waitForDelivered(sessionId, 2);
  await Promise.all([a.idle(), b.idle()]);
  expect(a.devin.delivered(sessionId)).toEqual([
    'Alice (@alice, U1) via Slack: said once',
    'Alice (@alice, U1) via Slack: said next',
  ]);
});

it('delivers replies sent alternately to two replicas exactly once each, in order', async () => {
  const [a, b] = await startReplicas(2);
  if (!a || !b) throw new Error('no replicas');
  const { sessionId, threadTs } = await linked(a);
  const texts = Array.from({ length: 8 }, (_, i) => `reply ${i + 1}`);
  for (const [i, text] of texts.entries()) {
    const res = await (i % 2 === 0 ? a : b).event(threadReply(threadTs, text));
    expect(res.status).toBe(200);
  }

  const expected = texts.map((t) => `Alice (@alice, U1) via Slack: ${t}`);
  expect(await a.devin.waitForDelivered(sessionId, texts.length)).toEqual(expected);
  await Promise.all([a.idle(), b.idle()]);
  expect(a.devin.delivered(sessionId)).toEqual(expected);
  const posts = a.devin.requests.filter((r) => r.method === 'POST' && r.path === `/v1/sessions/${sessionId}/message`);
  expect(posts).toHaveLength(texts.length);
});

it('delivers replies arriving at both replicas at the same time exactly once each', async () => {
  const [a, b] = await startReplicas(2);
  if (!a || !b) throw new Error('no replicas');
  const { sessionId, threadTs } = await linked(a);
  const events = Array.from({ length: 6 }, (_, i) => threadReply(threadTs, `burst ${i + 1}`));
  await Promise.all(events.map((event, i) => (i % 2 === 0 ? a : b).event(event)));

  await a.devin.waitForDelivered(sessionId, events.length);
  await Promise.all([a.idle(), b.idle()]);
  const expected = events.map((_, i) => `Alice (@alice, U1) via Slack: burst ${i + 1}`);
  expect([...a.devin.delivered(sessionId)].sort()).toEqual(expected);
});

describe('session starts on Redis', () => {
  const creates = (h: Harness) => h.devin.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions');

  /** The session Devin made for the mention, once its thread's answer is posted; the thread is cleaned up after. */
  async function startedFor(h: Harness, mentionTs: string) {
    const answer = await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mentionTs);
    const session = [...h.devin.sessions.values()].find((s) => answer.text.includes(s.url));
    if (!session) throw new Error(`no session in ${answer.text}`);
    bound.push({ sessionId: session.session_id, threadTs: mentionTs });
    return session;
  }

  it('starts one session when Slack delivers a mention to two replicas at once', async () => {
    const [a, b] = await startReplicas(2);
    if (!a || !b) throw new Error('no replicas');
    const mention = appMentionEvent({ text: '<@UBOT> fix the redis build' });
    const answers = await Promise.all([
      a.event(mention),
      b.event(mention, { retryNum: 1, retryReason: 'http_timeout' }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const session = await startedFor(a, mention.event.ts);
    await Promise.all([a.idle(), b.idle()]);
    expect(creates(a)).toHaveLength(1);
    expect(a.slack.callsTo('chat.postMessage').filter((p) => p.thread_ts === mention.event.ts)).toHaveLength(1);
    await b.event(threadReply(mention.event.ts, 'through the other replica'));
    expect(await a.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: through the other replica',
    ]);
  });

  it('finishes on another replica a start whose create went unanswered on the first, with the same session', async () => {
    const [a, b] = await startReplicas(2);
    if (!a || !b) throw new Error('no replicas');
    a.devin.hangNext('POST', '/v1/sessions', { thenDeliver: true });
    const mention = appMentionEvent({ text: '<@UBOT> fix the flaky redis test' });
    expect((await a.event(mention)).status).toBe(200);
    await a.devin.waitForRequest('POST', '/v1/sessions');
    await a.stopApp();

    await b.running.starts.resumeAll();
    const session = await startedFor(b, mention.event.ts);
    await b.idle();
    expect(withoutOrigin(session.messages[0]?.message)).toBe('Alice (@alice, U1) via Slack: fix the flaky redis test');
    expect(creates(b)).toHaveLength(2);
    for (const request of creates(b)) {
      expect({ ...request.body, prompt: withoutOrigin(request.body.prompt) }).toEqual({
        prompt: 'Alice (@alice, U1) via Slack: fix the flaky redis test',
        idempotent: true,
      });
    }
    expect(b.devin.sessions.size).toBe(1);
    expect(b.slack.callsTo('chat.postMessage').filter((p) => p.thread_ts === mention.event.ts)).toHaveLength(1);
  });
});
