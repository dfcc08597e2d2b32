import type { FakeSession, FakeSessionMessage } from '../support/fake-devin';
import { Harness } from '../support/harness';
import { threadReply } from '../support/slack-signing';

let h: Harness;
let restarted: Harness | undefined;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
  await h.close();
});

const POLL_MS = 5000;

const devinSays = (sessionId: string, eventId: string, message: string) => h.devin.say(sessionId, eventId, message);

function session(sessionId: string): FakeSession {
  const found = h.devin.sessions.get(sessionId);
  if (!found) throw new Error(`no fake session ${sessionId}`);
  return found;
}

/** Texts the app posted in the thread, answered by Slack, in order; notices (with blocks) left out unless asked. */
function posted(threadTs: string, options: { notices?: boolean } = {}): string[] {
  return h.slack.calls
    .filter((c) => c.method === 'chat.postMessage' && !c.failed && c.args.thread_ts === threadTs)
    .filter((c) => options.notices || c.args.blocks === undefined)
    .map((c) => String(c.args.text));
}

it('posts each new Devin message in the thread once and in order, and nothing that came before the link', async () => {
  const before = new Date().toISOString();
  const existing = h.devin.addSession({
    messages: [
      { type: 'initial_user_message', event_id: 'old-0', message: 'fix the parser', timestamp: before },
      { type: 'devin_message', event_id: 'old-1', message: 'Said before the link', timestamp: before },
      { type: 'user_message', event_id: 'old-2', message: 'web app words before the link', timestamp: before },
    ],
  });
  const threadTs = await h.linkSession(existing.session_id);
  const id = existing.session_id;

  await h.poll(0);
  devinSays(id, 'd1', 'First');
  devinSays(id, 'd2', 'Second');
  await h.poll(POLL_MS);
  await h.poll(POLL_MS);
  devinSays(id, 'd3', 'Third');
  devinSays(id, 'd4', 'Fourth');
  devinSays(id, 'd5', 'Fifth');
  await h.poll(POLL_MS);
  await h.poll(POLL_MS);
  await h.poll(POLL_MS);

  expect(posted(threadTs, { notices: true })).toEqual(['First', 'Second', 'Third', 'Fourth', 'Fifth']);
});

it('does not echo a relayed reply back into the thread, but posts words written in Devin by a person', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  await h.poll(0);
  await h.event(threadReply(threadTs, 'please add *tests* for it'));
  expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([
    'Alice (@alice, U1) via Slack: please add *tests* for it',
  ]);
  await h.idle();
  expect(session(sessionId).messages.map((m) => m.type)).toEqual(['user_message']);

  await h.poll(POLL_MS);
  session(sessionId).messages.push({
    type: 'user_message',
    event_id: 'web-1',
    message: 'also bump the version',
    timestamp: new Date().toISOString(),
    username: 'carol',
  });
  devinSays(sessionId, 'd1', 'Will do both.');
  await h.poll(POLL_MS);
  await h.poll(POLL_MS);

  expect(posted(threadTs, { notices: true })).toEqual([
    '*carol* wrote in Devin:\nalso bump the version',
    'Will do both.',
  ]);
});

it('after a restart posts only the messages it had not posted yet', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  await h.poll(0);
  devinSays(sessionId, 'a', 'Message A');
  await h.poll(POLL_MS);
  expect(posted(threadTs)).toEqual(['Message A']);

  await h.stopApp();
  devinSays(sessionId, 'b', 'Message B');
  restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir });
  // The new app's clock starts at the real time, which is behind the old one's virtual time.
  await restarted.poll(10 * 60_000);
  await restarted.poll(POLL_MS);

  expect(posted(threadTs)).toEqual(['Message A', 'Message B']);
});

it('mute stops posting Devin messages but not status updates, and unmute resumes with new messages only', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  await h.poll(0);
  devinSays(sessionId, 'd1', 'Before mute');
  await h.poll(POLL_MS);

  await h.event(threadReply(threadTs, 'mute'));
  await h.slack.waitFor('chat.postMessage', (args) => String(args.text).startsWith(':mute: Muted'));
  devinSays(sessionId, 'd2', 'While muted');
  const s = session(sessionId);
  s.status_enum = 'blocked';
  s.status = 'blocked';
  const updatesBefore = h.slack.callsTo('chat.update').length;
  await h.poll(POLL_MS);
  const updates = h.slack.callsTo('chat.update').slice(updatesBefore);
  expect(updates).toEqual([
    expect.objectContaining({ ts: threadTs, text: expect.stringContaining('waiting for you') }),
  ]);

  await h.event(threadReply(threadTs, 'Unmute'));
  const unmuted = await h.slack.waitFor('chat.postMessage', (args) =>
    String(args.text).startsWith(':loud_sound: Unmuted'),
  );
  expect(unmuted.text).toMatch(/1 message from Devin was not posted while muted; read it in <https:\/\/app\.devin\.ai/);
  devinSays(sessionId, 'd3', 'After unmute');
  // A waiting session is polled less often than a working one.
  await h.poll(60_000);
  await h.event(threadReply(threadTs, 'thanks'));
  await h.devin.waitForDelivered(sessionId, 1);
  await h.idle();

  // Neither keyword reached Devin; the reply after them did.
  expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: thanks']);
  // The message that arrived while muted is not replayed on unmute; nor was the waiting notice posted.
  expect(posted(threadTs, { notices: true })).toEqual([
    'Before mute',
    expect.stringMatching(/^:mute: Muted: Devin's messages will not be posted/),
    expect.stringMatching(/^:loud_sound: Unmuted/),
    'After unmute',
  ]);
});

it('skips malformed session messages and still posts the valid ones after them', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  await h.poll(0);
  const now = new Date().toISOString();
  const malformed = [
    { type: 'devin_message', message: 'no event id', timestamp: now },
    { type: 'devin_message', event_id: '', message: 'empty event id', timestamp: now },
    { type: 'devin_message', event_id: 'bad-2', message: 42, timestamp: now },
    { type: 'devin_message', event_id: 'bad-3', message: null, timestamp: now },
    { type: 'tool_call', event_id: 'bad-4', message: 'ran the tests', timestamp: now },
    'not even an object',
  ];
  session(sessionId).messages.push(...(malformed as unknown as FakeSessionMessage[]));
  devinSays(sessionId, 'ok-1', 'Valid after the malformed ones');
  await h.poll(POLL_MS);
  devinSays(sessionId, 'ok-2', 'And the next poll still works');
  await h.poll(POLL_MS);

  expect(posted(threadTs, { notices: true })).toEqual([
    'Valid after the malformed ones',
    'And the next poll still works',
  ]);
  // Logged once (not at every poll), never fatal: the app still answers its health check.
  const problems = h.logs.map((line) => JSON.parse(line)).filter((entry) => entry.level >= 40);
  expect(problems).toEqual([
    expect.objectContaining({
      level: 40,
      msg: 'skipped malformed messages in the session',
      session_id: sessionId,
      skipped: 5,
    }),
  ]);
  const health = await fetch(`${h.baseUrl}/healthz`);
  expect(health.status).toBe(200);
});
