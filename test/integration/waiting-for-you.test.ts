import { Harness } from '../support/harness';
import { threadReply } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.close();
});

const LONG_MS = 10 * 60_000;

const waitingPosts = (threadTs: string) =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((a) => a.thread_ts === threadTs && String(a.text).includes('waiting for your reply'))
    .map((a) => String(a.text));

function setState(sessionId: string, statusEnum: string): void {
  Object.assign(h.devin.sessions.get(sessionId) ?? {}, { status_enum: statusEnum });
}

async function replyAs(user: string, threadTs: string, sessionId: string, text: string, count: number) {
  await h.event(threadReply(threadTs, text, { user }));
  await h.devin.waitForDelivered(sessionId, count);
  await h.idle();
}

describe('when Devin waits for people', () => {
  it('mentions who started the session and who steered it last, once per wait however often it is polled', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    await replyAs('U1', threadTs, sessionId, 'use the staging database', 1);
    await replyAs('U2', threadTs, sessionId, 'and keep the old schema', 2);
    setState(sessionId, 'blocked');
    for (let i = 0; i < 4; i += 1) await h.poll(LONG_MS);
    expect(waitingPosts(threadTs)).toEqual([
      expect.stringMatching(/^:speech_balloon: <@U1> <@U2> Devin is waiting for your reply in </),
    ]);

    // A new wait is told again, with whoever steered last.
    setState(sessionId, 'working');
    await h.poll(LONG_MS);
    await replyAs('U1', threadTs, sessionId, 'any news?', 3);
    setState(sessionId, 'waiting_for_user');
    await h.poll(LONG_MS);
    await h.poll(LONG_MS);
    expect(waitingPosts(threadTs)).toHaveLength(2);
    expect(waitingPosts(threadTs)[1]).toMatch(/^:speech_balloon: <@U1> Devin is waiting/);
  });

  it('mentions the starter alone when nobody has steered the session from Slack yet', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    setState(sessionId, 'waiting_for_approval');
    await h.poll(LONG_MS);
    expect(waitingPosts(threadTs)).toEqual([expect.stringMatching(/^:speech_balloon: <@U1> Devin is waiting/)]);
  });

  it('counts /devin say as steering', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    await h.command(`say ${sessionId} please add a test`, { user_id: 'U2', user_name: 'bob' });
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    setState(sessionId, 'blocked');
    await h.poll(LONG_MS);
    expect(waitingPosts(threadTs)).toEqual([expect.stringMatching(/^:speech_balloon: <@U1> <@U2> Devin is waiting/)]);
  });
});
