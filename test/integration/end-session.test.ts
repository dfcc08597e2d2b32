import { refusalSentence } from '../../src/relay/access-policy';
import { Harness, type HarnessOptions } from '../support/harness';
import { blockAction, type Json } from '../support/slack-signing';

let h: Harness;
const start = async (options: HarnessOptions = {}) => {
  h = await Harness.start(options);
};
afterEach(async () => {
  await h.close();
});

const LONG_MS = 10 * 60_000;

/** A press of End session on the thread's root message, as Slack sends it after the person confirmed. */
function pressEnd(sessionId: string, threadTs: string, name: string, user = 'U1', extra: Json = {}) {
  return h.action(
    blockAction({
      user: { id: user, username: user, name: user, team_id: 'T1' },
      container: { message_ts: threadTs, channel_id: 'C1', thread_ts: undefined },
      message: { ts: threadTs, thread_ts: undefined, text: 'root' },
      actions: [{ action_id: 'end_session', block_id: 'controls', value: sessionId }],
      response_url: h.slack.responseUrl(name),
      ...extra,
    }),
  );
}

const answer = async (name: string) => String((await h.slack.waitForResponse((r) => r.name === name)).body.text);
const deletes = (sessionId: string) =>
  h.devin.requests.filter((r) => r.method === 'DELETE' && r.path === `/v1/sessions/${sessionId}`).length;
const gets = (sessionId: string) =>
  h.devin.requests.filter((r) => r.method === 'GET' && r.path === `/v1/sessions/${sessionId}`).length;
const threadPosts = (threadTs: string) =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((a) => a.thread_ts === threadTs)
    .map((a) => String(a.text));
const rootUpdates = (threadTs: string) => h.slack.callsTo('chat.update').filter((a) => a.ts === threadTs);
const actionIds = (args: Json | undefined): string[] =>
  ((args?.blocks ?? []) as Json[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Json[]).map((e) => String(e.action_id)));

describe('End session', () => {
  it('is on the root message behind a confirmation dialog, and ends the session once', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    const root = h.slack.calls.find((c) => c.method === 'chat.postMessage' && c.answer?.ts === threadTs)?.args;
    const button = ((root?.blocks ?? []) as Json[]).at(-1)?.elements.find((e: Json) => e.action_id === 'end_session');
    expect(button).toMatchObject({
      style: 'danger',
      value: sessionId,
      confirm: {
        title: { text: 'End this session?' },
        text: { text: expect.stringContaining('“Fake session”') },
        confirm: { text: 'End session' },
        deny: { text: 'Keep it' },
      },
    });

    expect((await pressEnd(sessionId, threadTs, 'first')).status).toBe(200);
    expect(await answer('first')).toBe('You ended the session; Devin has stopped working on it.');
    await h.idle();
    expect(deletes(sessionId)).toBe(1);
    expect(h.devin.terminatedCount(sessionId)).toBe(1);
    expect(threadPosts(threadTs)).toEqual([':black_square_for_stop: Alice ended the session.']);
    const ended = rootUpdates(threadTs).at(-1);
    expect(ended?.text).toContain('*Status:* :black_square_for_stop: ended by Alice');
    expect(actionIds(ended)).toEqual(['open_in_devin']);

    // The next poll finds it ended: the root keeps saying who ended it, nobody is told Devin finished, polling stops;
    // the thread gets its one closing summary, which says who ended it.
    await h.poll(LONG_MS);
    const seen = gets(sessionId);
    await h.poll(LONG_MS);
    await h.poll(LONG_MS);
    expect(gets(sessionId)).toBe(seen);
    expect(rootUpdates(threadTs).at(-1)?.text).toContain('ended by Alice');
    expect(actionIds(rootUpdates(threadTs).at(-1))).toEqual(['open_in_devin']);
    expect(threadPosts(threadTs)).toEqual([
      ':black_square_for_stop: Alice ended the session.',
      expect.stringContaining('*Closing summary* · :black_square_for_stop: The session was ended by Alice.'),
    ]);
    expect(threadPosts(threadTs).join('\n')).not.toContain('Devin finished');
  });

  it('says the session is already ended to a second press, and ends it only once', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await pressEnd(sessionId, threadTs, 'first');
    await answer('first');
    await pressEnd(sessionId, threadTs, 'second', 'U2');
    expect(await answer('second')).toBe('Alice already ended this session.');
    await h.idle();
    expect(deletes(sessionId)).toBe(1);
    expect(threadPosts(threadTs)).toHaveLength(1);
  });

  it('ends the session once when two people press at the same moment', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('DELETE', '/v1/sessions/:id', [{ delayMs: 300, thenDeliver: true, body: { detail: 'ok' } }]);
    await Promise.all([pressEnd(sessionId, threadTs, 'a', 'U1'), pressEnd(sessionId, threadTs, 'b', 'U2')]);
    const answers = [await answer('a'), await answer('b')].sort();
    expect(answers).toEqual([
      'Someone is ending this session right now.',
      'You ended the session; Devin has stopped working on it.',
    ]);
    await h.idle();
    expect(deletes(sessionId)).toBe(1);
    expect(threadPosts(threadTs)).toHaveLength(1);
  });

  it('refuses someone who may not steer the session, and ends nothing', async () => {
    await start({ env: { STEER_POLICY: 'starter' } });
    const { sessionId, threadTs } = await h.linkedThread();
    await pressEnd(sessionId, threadTs, 'bob', 'U2');
    expect(await answer('bob')).toBe(refusalSentence('not-a-steerer'));
    await h.idle();
    expect(deletes(sessionId)).toBe(0);
    expect(threadPosts(threadTs)).toEqual([]);
    expect(h.logs.some((l) => JSON.parse(l).msg === 'audit' && l.includes('"action":"end"'))).toBe(true);
  });

  it('gives a clear answer and keeps the button when Devin fails to end it; a later press ends it', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    const updatesBefore = rootUpdates(threadTs).length;
    h.devin.script('DELETE', '/v1/sessions/:id', [{ status: 500, body: { detail: 'internal trouble' } }]);
    await pressEnd(sessionId, threadTs, 'failing');
    expect(await answer('failing')).toBe(
      ":warning: I couldn't end the session: Devin's API is having trouble (HTTP 500); try again shortly. It goes on; *End session* still works.",
    );
    await h.idle();
    expect(h.devin.terminatedCount(sessionId)).toBe(0);
    expect(rootUpdates(threadTs)).toHaveLength(updatesBefore);
    expect(threadPosts(threadTs)).toEqual([]);

    await pressEnd(sessionId, threadTs, 'again');
    expect(await answer('again')).toBe('You ended the session; Devin has stopped working on it.');
    expect(h.devin.terminatedCount(sessionId)).toBe(1);
  });

  it('says so when Devin had already ended the session, and brings the root up to date', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    Object.assign(h.devin.sessions.get(sessionId) ?? {}, { status: 'exit', status_enum: 'finished' });
    await pressEnd(sessionId, threadTs, 'late');
    expect(await answer('late')).toBe('This session has already ended.');
    await h.poll(0);
    expect(rootUpdates(threadTs).at(-1)?.text).toContain(':checkered_flag: finished');
    expect(actionIds(rootUpdates(threadTs).at(-1))).toEqual(['open_in_devin']);
  });

  it('works from App Home, where the press names no channel or thread: the bound threads are told', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    const res = await h.action(
      blockAction({
        container: { type: 'view', view_id: 'V1', message_ts: undefined, channel_id: undefined, thread_ts: undefined },
        channel: undefined,
        message: undefined,
        response_url: undefined,
        view: { id: 'V1', type: 'home' },
        actions: [{ action_id: 'end_session', block_id: 'home', value: sessionId }],
      }),
    );
    expect(res.status).toBe(200);
    await h.idle();
    expect(deletes(sessionId)).toBe(1);
    expect(threadPosts(threadTs)).toEqual([':black_square_for_stop: Alice ended the session.']);
  });
});
