import { Harness } from '../support/harness';
import { blockAction, type Json, nextTs } from '../support/slack-signing';

let h: Harness;
afterEach(() => h?.close());

const ephemerals = (threadTs: string) => h.slack.callsTo('chat.postEphemeral').filter((a) => a.thread_ts === threadTs);
const messagePosts = () => h.devin.requests.filter((r) => r.method === 'POST' && /\/messages?$/.test(r.path));
let presses = 0;

/** Presses a button of the answer to `archive` (as `user`), naming `sessionId`; resolves with the answer's text. */
async function press(
  actionId: string,
  threadTs: string,
  sessionId: string,
  user = 'U1',
): Promise<{ text: string; body: Json }> {
  presses += 1;
  const name = `archive-${presses}`;
  const payload = blockAction({
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    container: { message_ts: nextTs(), channel_id: 'C1', is_ephemeral: true, thread_ts: threadTs },
    actions: [{ action_id: actionId, block_id: 'archive', value: sessionId }],
    response_url: h.slack.responseUrl(name),
  });
  delete payload.message;
  await h.action(payload);
  const answer = await h.slack.waitForResponse((r) => r.name === name);
  await h.idle();
  return { text: String(answer.body.text), body: answer.body };
}

describe('archive in a bound thread (v3)', () => {
  beforeEach(async () => {
    h = await Harness.start({ devinVersion: 'v3' });
  });

  it('asks privately to confirm, with Archive session and Cancel, and relays nothing', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.reply(threadTs, ' Archive ');
    await h.idle();
    expect(messagePosts()).toEqual([]);
    const [answer, ...more] = ephemerals(threadTs);
    expect(more).toEqual([]);
    expect(answer?.text).toContain(':file_cabinet: Archive <https://app.devin.ai/sessions/');
    const buttons = ((answer?.blocks ?? []) as Json[]).at(-1)?.elements;
    expect(buttons).toMatchObject([
      { action_id: 'archive_session', value: sessionId, confirm: { title: { text: 'Archive this session?' } } },
      { action_id: 'archive_cancel' },
    ]);
    expect(h.devin.archived).toEqual([]);
  });

  it('archives once confirmed: Devin is asked once, the thread is told and the root shows it', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    expect((await press('archive_session', threadTs, sessionId)).text).toBe(
      'You archived the session; it can no longer be continued.',
    );
    expect((await press('archive_session', threadTs, sessionId)).text).toBe('Alice already archived this session.');
    expect(h.devin.archived).toEqual([sessionId]);
    expect(h.posted(threadTs)).toContain(':file_cabinet: Alice archived the session; it can no longer be continued.');
    expect(h.rootUpdates(threadTs).at(-1)).toContain(':file_cabinet: archived by Alice');
    // A later poll sees the session asleep: the root still says who archived it, and nobody is told it sleeps.
    await h.poll(60_000);
    expect(h.rootUpdates(threadTs).at(-1)).toContain('archived by Alice');
    expect(h.posted(threadTs).filter((t) => t.includes('asleep'))).toEqual([]);
  });

  it('Cancel archives nothing', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    expect((await press('archive_cancel', threadTs, sessionId)).text).toBe('Nothing was archived.');
    expect(h.devin.archived).toEqual([]);
  });

  it('a forged button naming another session archives nothing', async () => {
    const { threadTs } = await h.linkedThread();
    const other = h.devin.addSession();
    expect((await press('archive_session', threadTs, other.session_id)).text).toBe(
      "That button names another session than this thread's, so nothing was done.",
    );
    expect(h.devin.archived).toEqual([]);
  });

  it('someone the thread refuses archives nothing', async () => {
    await h.close();
    h = await Harness.start({ devinVersion: 'v3', env: { ALLOWED_USER_IDS: 'U1' } });
    const { sessionId, threadTs } = await h.linkedThread();
    expect((await press('archive_session', threadTs, sessionId, 'U2')).text).toBe(
      'You are not on the list of people who may use Devin here, so nothing was sent to Devin.',
    );
    expect(h.devin.archived).toEqual([]);
  });
});

describe('archive on API v1', () => {
  it('says privately that it is not available, and relays nothing', async () => {
    h = await Harness.start({ devinVersion: 'v1' });
    const { threadTs } = await h.linkedThread();
    await h.reply(threadTs, 'archive');
    await h.idle();
    expect(messagePosts()).toEqual([]);
    const [answer] = ephemerals(threadTs);
    expect(answer?.text).toMatch(/^:file_cabinet: Archiving needs Devin's API v3/);
    expect(((answer?.blocks ?? []) as Json[]).filter((b) => b.type === 'actions')).toEqual([]);
    expect(h.devin.requests.filter((r) => r.path.endsWith('/archive'))).toEqual([]);
  });
});
