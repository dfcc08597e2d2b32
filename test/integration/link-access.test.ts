import { Harness } from '../support/harness';
import { threadReply } from '../support/slack-signing';

let h: Harness;
afterEach(() => h.close());

const ALICE = 'U1';
const BOB = 'U2';
const ADMIN = 'U9';

async function start(env: Record<string, string> = {}): Promise<Harness> {
  h = await Harness.start({ env: { ADMIN_USER_IDS: ADMIN, ...env } });
  h.slack.users.set(ADMIN, { name: 'root', realName: 'Ruth Admin' });
  h.slack.users.set('U3', { name: 'carol', realName: 'Carol' });
  for (const [id, name] of [
    ['C2', 'random'],
    ['G1', 'secret'],
    ['G2', 'other-secret'],
    ['C3', 'partners'],
  ]) {
    h.slack.channels.set(String(id), String(name));
  }
  h.slack.privateChannels.add('G1');
  h.slack.privateChannels.add('G2');
  h.slack.sharedChannels.add('C3');
  return h;
}

/** `/devin <text>` as `user` in `channel`; resolves with the answer the person read. */
async function commandAs(user: string, text: string, channel = 'C1'): Promise<string> {
  const name = `cmd-${Math.random()}`;
  await h.command(text, { user_id: user, channel_id: channel, response_url: h.slack.responseUrl(name) });
  return String((await h.slack.waitForResponse((r) => r.name === name)).body.text);
}

/** The root message the last successful `/devin link` of `sessionId` posted (its thread's ts). */
function linkedRoots(sessionId: string): string[] {
  return h.slack.calls
    .filter((c) => c.method === 'chat.postMessage' && !c.failed && String(c.args.text).includes(sessionId.slice(6)))
    .map((c) => String(c.answer?.ts));
}

async function replyAs(user: string, threadTs: string, text: string, channel = 'C1'): Promise<void> {
  expect((await h.event(threadReply(threadTs, text, { user, channel }))).status).toBe(200);
  await h.idle();
}

describe('/devin link of a session bound already', () => {
  it('is refused to someone its threads do not let steer, and the linker never becomes its starter', async () => {
    await start({ STEER_POLICY: 'starter' });
    const { sessionId, threadTs } = await h.linkAs(ALICE, 'Alice’s work');

    expect(await commandAs(BOB, `link ${sessionId}`, 'C2')).toMatch(/Only the person who started this session/);
    expect(linkedRoots(sessionId)).toHaveLength(1);
    await replyAs(BOB, threadTs, 'bob steers anyway');
    expect(h.devin.delivered(sessionId)).toEqual([]);

    // An admin may link it; the new thread keeps Alice as its starter and whom she allowed, not the admin.
    expect(await commandAs(ALICE, `allow ${sessionId} <@U3|carol>`)).toMatch(/may now steer/);
    expect(await commandAs(ADMIN, `link ${sessionId}`, 'C2')).toMatch(/^Linked/);
    const adminThread = linkedRoots(sessionId)[1] ?? '';
    await replyAs(BOB, adminThread, 'bob in the new thread', 'C2');
    await replyAs('U3', adminThread, 'carol in the new thread', 'C2');
    await replyAs(ALICE, adminThread, 'alice in the new thread', 'C2');
    expect(h.devin.delivered(sessionId).map((t) => t.split(' via Slack: ')[1])).toEqual([
      'carol in the new thread',
      'alice in the new thread',
    ]);
    expect(await commandAs(ALICE, `status ${sessionId}`, 'C2')).toContain(
      'Who may steer (thread in <#C2>): <@U1>, <@U3> (and admins)',
    );
  });

  it('lets someone who may steer it link it, as the same thread rules', async () => {
    await start({ STEER_POLICY: 'starter' });
    const { sessionId } = await h.linkAs(ALICE, 'Alice’s work');
    expect(await commandAs(ALICE, `link ${sessionId}`, 'C2')).toMatch(/^Linked/);
    const second = linkedRoots(sessionId)[1] ?? '';
    await replyAs(BOB, second, 'still not bob’s', 'C2');
    expect(h.devin.delivered(sessionId)).toEqual([]);
  });
});

describe('a session bound in a private conversation', () => {
  it('is not mirrored into a public, shared or other private channel except by an admin', async () => {
    await start();
    const { sessionId } = await h.linkAs(ALICE, 'Private work', 'G1');

    for (const channel of ['C1', 'G2', 'C3']) {
      expect(await commandAs(ALICE, `link ${sessionId}`, channel)).toMatch(/people who cannot read it now/);
    }
    expect(linkedRoots(sessionId)).toHaveLength(1);
    // Another thread of the same private channel shows it to nobody new.
    expect(await commandAs(ALICE, `link ${sessionId}`, 'G1')).toMatch(/^Linked/);
    expect(await commandAs(ADMIN, `link ${sessionId}`, 'C1')).toMatch(/^Linked/);
    expect(linkedRoots(sessionId)).toHaveLength(3);
  });

  it('is refused when Slack cannot say who reads the channels, rather than guessed', async () => {
    await start();
    const { sessionId } = await h.linkAs(ALICE, 'Private work', 'G1');
    h.slack.failNext('conversations.info', { body: { ok: false, error: 'internal_error' } }, 2);
    expect(await commandAs(ALICE, `link ${sessionId}`, 'C2')).toMatch(/couldn't check who can read/);
  });

  it('a session of a public channel needs an admin to reach a channel shared with other workspaces', async () => {
    await start();
    const { sessionId } = await h.linkAs(ALICE, 'Public work', 'C1');
    expect(await commandAs(ALICE, `link ${sessionId}`, 'C3')).toMatch(/people who cannot read it now/);
    expect(await commandAs(ALICE, `link ${sessionId}`, 'G1')).toMatch(/^Linked/);
  });
});
