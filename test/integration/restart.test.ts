import { join } from 'node:path';
import { MessageClaims } from '../../src/relay/message-claims';
import { fingerprint } from '../../src/relay/session-news';
import { createReplyQueue } from '../../src/store/create-reply-queue';
import { createStore } from '../../src/store/create-store';
import { Harness } from '../support/harness';
import { blockAction, threadReply } from '../support/slack-signing';

const MESSAGE_PATH = '/v1/sessions/:id/message';

let h: Harness;
let restarted: Harness | undefined;
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
  await h.close();
});

/** Stops the app and starts a new one on the same SQLite file, Slack and Devin. */
async function restart(env?: Record<string, string>): Promise<Harness> {
  await h.stopApp();
  restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir, ...(env ? { env } : {}) });
  return restarted;
}

/** Message POSTs Devin received carrying `text`, whatever their answer. */
function postsOf(text: string): number {
  return h.devin.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/message') && r.body?.message === text)
    .length;
}

/**
 * Devin stamps messages with the real time, the app under test runs on a virtual clock: stamp the session's messages
 * with the app's time, as two synchronised clocks would.
 */
function syncDevinClock(app: Harness, sessionId: string): void {
  const session = h.devin.sessions.get(sessionId);
  for (const message of session?.messages ?? []) message.timestamp = new Date(app.clock.now()).toISOString();
}

const noticesWithResend = () =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((args) => JSON.stringify(args.blocks ?? []).includes('"action_id":"resend_held"'));

it('keeps a thread bound across a restart, so a reply on the new app reaches the same session', async () => {
  h = await Harness.start();
  const { sessionId, threadTs } = await h.linkedThread();
  const app = await restart();

  const res = await app.event(threadReply(threadTs, 'still there after the restart?'));
  expect(res.status).toBe(200);
  expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([
    'Alice (@alice, U1) via Slack: still there after the restart?',
  ]);
  expect((await h.slack.waitFor('reactions.add')).name).toBe('white_check_mark');
});

it('keeps held replies and their paused notice across a restart; Resend delivers them in order once', async () => {
  h = await Harness.start();
  const { sessionId, threadTs } = await h.linkedThread();
  h.devin.pause(sessionId, 'Session is sleeping');
  await h.event(threadReply(threadTs, 'first while asleep'));
  await h.slack.waitFor('chat.postMessage', (args) => String(args.text).includes('1 message from this thread'));
  await h.event(threadReply(threadTs, 'second while asleep'));
  await h.slack.waitFor('chat.update', (args) => String(args.text).includes('2 messages from this thread'));
  await h.idle();
  const [notice] = noticesWithResend();
  const noticeTs = h.slack.calls.find((c) => c.args === notice)?.answer?.ts;
  expect(noticeTs).toBeDefined();
  expect(h.devin.delivered(sessionId)).toEqual([]);

  const app = await restart();
  h.devin.resume(sessionId);
  await app.action(
    blockAction({
      actions: [{ value: sessionId }],
      container: { message_ts: noticeTs, channel_id: 'C1', thread_ts: threadTs },
      response_url: h.slack.responseUrl('resend'),
    }),
  );

  const answer = await h.slack.waitForResponse((r) => r.name === 'resend');
  expect(answer.body.text).toMatch(/^Delivered 2\b/);
  expect(answer.body.text).not.toMatch(/still/);
  await app.idle();
  expect(h.devin.delivered(sessionId)).toEqual([
    'Alice (@alice, U1) via Slack: first while asleep',
    'Alice (@alice, U1) via Slack: second while asleep',
  ]);
  const resolved = await h.slack.waitFor('chat.update', (args) => String(args.text).includes('Delivered 2 held'));
  expect(resolved.ts).toBe(noticeTs);
  expect(noticesWithResend()).toHaveLength(1);
});

it('lets a delivery in flight end before stopping, and the new app does not send it again', async () => {
  const env = { DEVIN_REQUEST_TIMEOUT_MS: '300' };
  h = await Harness.start({ env });
  const { sessionId, threadTs } = await h.linkedThread();
  // Devin takes the message but its answer never comes back in time.
  h.devin.hangNext('POST', MESSAGE_PATH, { thenDeliver: true });
  await h.event(threadReply(threadTs, 'sent just before the stop'));
  await h.devin.waitForDelivered(sessionId, 1);
  syncDevinClock(h, sessionId);

  const app = await restart(env);
  // The old app waited for the answer (it timed out) and stopped; the new one found the message in the session.
  await app.idle();
  expect(app.logs.some((l) => l.includes('reply found in the session after an uncertain attempt'))).toBe(true);
  await app.event(threadReply(threadTs, 'sent after the restart'));
  expect(await h.devin.waitForDelivered(sessionId, 2)).toEqual([
    'Alice (@alice, U1) via Slack: sent just before the stop',
    'Alice (@alice, U1) via Slack: sent after the restart',
  ]);
  await app.idle();
  expect(postsOf('Alice (@alice, U1) via Slack: sent just before the stop')).toBe(1);
  expect(h.devin.delivered(sessionId)).toHaveLength(2);
});

it('takes events at once after a restart while a reply left waiting hangs at Devin, and other sessions do not wait', async () => {
  const env = { DEVIN_REQUEST_TIMEOUT_MS: '30000' };
  h = await Harness.start({ env });
  const slow = await h.linkedThread();
  const other = await h.linkedThread();
  // The first session's reply is retried after the restart, and that request hangs.
  h.devin.script('POST', `/v1/sessions/${slow.sessionId}/message`, [
    { status: 503, body: { detail: 'overloaded' } },
    ...Array.from({ length: 5 }, () => ({ delayMs: 60_000 })),
  ]);
  await h.reply(slow.threadTs, 'left waiting');
  await h.waitForLog((entry) => entry.msg === 'delivery failed; retrying');
  await h.stopApp();

  const started = Date.now();
  restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir, env });
  // Start-up resumed the left-over reply without waiting for it.
  expect(Date.now() - started).toBeLessThan(3000);
  await restarted.reply(other.threadTs, 'not stuck behind it');
  expect(await h.devin.waitForDelivered(other.sessionId, 1)).toEqual([
    'Alice (@alice, U1) via Slack: not stuck behind it',
  ]);
  expect(h.devin.delivered(slow.sessionId)).toEqual([]);
});

it('after a restart, finds a reply whose earlier attempt reached Devin in the session instead of sending it again', async () => {
  h = await Harness.start();
  const { sessionId, threadTs } = await h.linkedThread();
  // Devin takes the message but answers 503, then cannot show the session until the retries run out.
  h.devin.script('POST', MESSAGE_PATH, [{ status: 503, body: { detail: 'overloaded' }, thenDeliver: true }]);
  h.devin.script(
    'GET',
    '/v1/sessions/:id',
    Array.from({ length: 30 }, () => ({ status: 503, body: { detail: 'down' } })),
  );
  await h.event(threadReply(threadTs, 'did this arrive?'));
  const failed = await h.slack.waitFor('chat.postMessage', (args) =>
    String(args.text).includes('could not be delivered'),
  );
  await h.idle();
  expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: did this arrive?']);
  expect(postsOf('Alice (@alice, U1) via Slack: did this arrive?')).toBe(1);

  const app = await restart();
  h.devin.reset(); // Devin has recovered: the leftover GET failures are dropped.
  syncDevinClock(h, sessionId);
  const noticeTs = h.slack.calls.find((c) => c.args === failed)?.answer?.ts;
  await app.action(
    blockAction({
      actions: [{ value: sessionId }],
      container: { message_ts: noticeTs, channel_id: 'C1', thread_ts: threadTs },
      response_url: h.slack.responseUrl('resend'),
    }),
  );

  const resolved = await h.slack.waitFor('chat.update', (args) => String(args.text).includes('Delivered 1 held'));
  expect(resolved.ts).toBe(noticeTs);
  await app.idle();
  expect(h.devin.requests.some((r) => r.method === 'GET' && r.path === `/v1/sessions/${sessionId}`)).toBe(true);
  expect(postsOf('Alice (@alice, U1) via Slack: did this arrive?')).toBe(0);
  expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: did this arrive?']);
  expect(app.logs.some((l) => l.includes('reply found in the session after an uncertain attempt'))).toBe(true);
});

it('remembers relayed Slack events across a restart, so a retry of one is not relayed again', async () => {
  h = await Harness.start();
  const { sessionId, threadTs } = await h.linkedThread();
  const original = threadReply(threadTs, 'only once please');
  await h.event(original);
  await h.devin.waitForDelivered(sessionId, 1);
  await h.idle();

  const app = await restart();
  const retry = await app.event(original, { retryNum: 1, retryReason: 'http_timeout' });
  expect(retry.status).toBe(200);
  await app.event(threadReply(threadTs, 'a new message'));
  await h.devin.waitForDelivered(sessionId, 2);
  await app.idle();
  expect(h.devin.delivered(sessionId)).toEqual([
    'Alice (@alice, U1) via Slack: only once please',
    'Alice (@alice, U1) via Slack: a new message',
  ]);
});

it('remembers relayed Slack messages across a restart even when they come back under a new event id', async () => {
  h = await Harness.start();
  const { sessionId, threadTs } = await h.linkedThread();
  const original = threadReply(threadTs, 'same message, new envelope');
  await h.event(original);
  await h.devin.waitForDelivered(sessionId, 1);
  await h.idle();

  const app = await restart();
  await app.event({ ...original, event_id: 'Ev0REDELIVERED1' });
  await app.event(threadReply(threadTs, 'a new message'));
  await h.devin.waitForDelivered(sessionId, 2);
  await app.idle();
  expect(h.devin.delivered(sessionId)).toEqual([
    'Alice (@alice, U1) via Slack: same message, new envelope',
    'Alice (@alice, U1) via Slack: a new message',
  ]);
});

it('delivers a reply recorded just before a crash, and does not relay the redelivery of it from Slack again', async () => {
  h = await Harness.start();
  const { sessionId, threadTs } = await h.linkedThread();
  const payload = threadReply(threadTs, 'recorded, then the process died');
  await h.stopApp();
  // What the app had written when it died: the reply and its claims (one transaction), nothing sent.
  const store = await createStore(`sqlite://${join(h.dir, 'store.sqlite')}`);
  const queue = await createReplyQueue(store);
  const ts = String(payload.event.ts);
  const identity = { team: 'T1', channel: 'C1', ts, eventId: String(payload.event_id) };
  await queue.record(
    {
      id: `T1:C1:${ts}`,
      sessionId,
      text: 'Alice (@alice, U1) via Slack: recorded, then the process died',
      order: ts,
      state: 'queued',
      origin: {
        kind: 'thread',
        thread: { team: 'T1', channel: 'C1', threadTs },
        message: { team: 'T1', channel: 'C1', ts },
        eventId: String(payload.event_id),
      },
      receivedAt: Date.now(),
      attempts: 0,
    },
    new MessageClaims(store).forReply(identity),
  );
  await store.close();

  const next = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir });
  restarted = next;
  await next.devin.waitForDelivered(sessionId, 1);
  await next.idle();
  expect((await next.event(payload, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
  await next.reply(threadTs, 'after the redelivery');
  expect(await next.devin.waitForDelivered(sessionId, 2)).toEqual([
    'Alice (@alice, U1) via Slack: recorded, then the process died',
    'Alice (@alice, U1) via Slack: after the redelivery',
  ]);
  await next.idle();
  expect(next.devin.delivered(sessionId)).toHaveLength(2);
});

describe('polling across a restart', () => {
  const POLL_MS = 5000;
  const posted = (threadTs: string) =>
    h.slack.calls
      .filter((c) => c.method === 'chat.postMessage' && !c.failed && c.args.thread_ts === threadTs)
      .filter((c) => c.args.blocks === undefined)
      .map((c) => String(c.args.text));

  it('converts a watch record of the earlier version without posting again what it had posted, or echoing', async () => {
    h = await Harness.start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    h.devin.say(sessionId, 'a', 'Message A');
    h.devin.say(sessionId, 'b', 'Message B');
    await h.poll(POLL_MS);
    expect(posted(threadTs)).toEqual(['Message A', 'Message B']);
    await h.stopApp();

    // What the earlier version kept: the handled ids, the relayed texts, and the list of watched sessions.
    const relayedText = 'Alice (@alice, U1) via Slack: sent just before the upgrade';
    const store = await createStore(`sqlite://${join(h.dir, 'store.sqlite')}`);
    const { mark: _mark, ...watch } = (await store.get<Record<string, unknown>>(`watch:${sessionId}`)) ?? {};
    await store.set(`watch:${sessionId}`, { ...watch, seen: ['a', 'b'], relayed: [fingerprint(relayedText)] });
    await store.set('watch-index', [sessionId]);
    await store.index('poll-due').remove(sessionId);
    await store.close();
    const session = h.devin.sessions.get(sessionId);
    session?.messages.push({
      type: 'user_message',
      event_id: 'echo',
      message: relayedText,
      timestamp: new Date().toISOString(),
    });
    h.devin.say(sessionId, 'c', 'Message C');

    restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir });
    const app = restarted;
    await app.poll(10 * 60_000);
    await app.poll(POLL_MS);
    h.devin.say(sessionId, 'd', 'Message D');
    await app.poll(POLL_MS);

    expect(posted(threadTs)).toEqual(['Message A', 'Message B', 'Message C', 'Message D']);
    const converted = await app.store.get<Record<string, unknown>>(`watch:${sessionId}`);
    expect(converted).not.toHaveProperty('seen');
    expect(converted).not.toHaveProperty('relayed');
    expect(converted?.mark).toEqual({ index: 4, eventId: 'd', timestamp: expect.any(String) });
    expect(await app.store.get('watch-index')).toBeUndefined();
  });

  it('after a failure half way through a message in chunks, posts the rest after a restart and no chunk twice', async () => {
    h = await Harness.start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    const paragraphs = Array.from({ length: 4 }, (_, i) => String(i).repeat(3000));
    h.devin.say(sessionId, 'long', paragraphs.join('\n\n'));
    let failed = false;
    h.slack.setHandler('chat.postMessage', (args, call) => {
      if (failed || !String(args.text).startsWith('2')) return undefined;
      failed = true;
      call.failed = true;
      return { ok: false, error: 'fatal_error' };
    });
    await h.poll(POLL_MS);
    expect(posted(threadTs).map((t) => t[0])).toEqual(['0', '1']);

    const app = await restart();
    await app.poll(10 * 60_000);
    await app.poll(POLL_MS);

    expect(posted(threadTs).map((t) => t[0])).toEqual(['0', '1', '2', '3']);
    expect(await app.store.get(`watch-progress:${sessionId}`)).toBeUndefined();
  });
});

it('delivers the replies an earlier version left waiting in its outbox, once, after an upgrade', async () => {
  h = await Harness.start();
  const { sessionId, threadTs } = await h.linkedThread();
  await h.stopApp();
  // The earlier version's outbox: one array per session, listed under one key; no workspace on the message.
  const store = await createStore(`sqlite://${join(h.dir, 'store.sqlite')}`);
  const ts = '1700000500.000100';
  await store.set('outbox-index', [sessionId]);
  await store.set(`outbox:${sessionId}`, [
    {
      id: `T1:C1:${ts}`,
      sessionId,
      text: 'Alice (@alice, U1) via Slack: waiting when the app was upgraded',
      order: ts,
      state: 'queued',
      origin: { kind: 'thread', thread: { team: 'T1', channel: 'C1', threadTs }, message: { channel: 'C1', ts } },
      receivedAt: Date.now(),
      attempts: 0,
      receipt: 'retrying',
    },
  ]);
  await store.close();

  const next = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir });
  restarted = next;
  expect(await next.devin.waitForDelivered(sessionId, 1)).toEqual([
    'Alice (@alice, U1) via Slack: waiting when the app was upgraded',
  ]);
  await next.waitForReaction(ts, 'white_check_mark');
  await next.idle();
  expect(await next.store.get('outbox-index')).toBeUndefined();
  expect(await next.store.get(`outbox:${sessionId}`)).toBeUndefined();
  expect(next.devin.delivered(sessionId)).toHaveLength(1);
});
