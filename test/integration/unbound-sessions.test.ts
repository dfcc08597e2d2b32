import { Harness, type HarnessOptions } from '../support/harness';
import { blockAction, homeButtonPress, type Json } from '../support/slack-signing';

let h: Harness;
afterEach(() => h.close());

const ALICE = 'U1';
const BOB = 'U2';
const ADMIN = 'U9';

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await Harness.start({ ...options, env: { ADMIN_USER_IDS: ADMIN, ...options.env } });
  h.slack.users.set(ADMIN, { name: 'root', realName: 'Ruth Admin' });
  return h;
}

/** DELETE requests for the session: what ending it asks of Devin (v1 and v3 alike). */
const ends = (sessionId: string) =>
  h.devin.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/sessions/${sessionId}`)).length;

/** End session pressed on the App Home (no channel, no thread) by `user`, naming `sessionId`; resolves once answered. */
async function endFromHome(sessionId: string, user: string): Promise<void> {
  const answered = h.slack.callsTo('views.publish').length;
  expect((await h.action(homeButtonPress('end_session', sessionId, user))).status).toBe(200);
  // The outcome is said on the person's Home view, once the press has been dealt with.
  await h.slack.waitForCount('views.publish', answered + 1);
  await h.idle();
}

/** A press of a button on a thread's root message whose value names `value` (forged or not); resolves with the answer. */
async function pressOnRoot(actionId: string, value: string, threadTs: string, user = ALICE): Promise<string> {
  const name = `press-${Math.random()}`;
  const press: Json = blockAction({
    user: { id: user, username: user, name: user, team_id: 'T1' },
    container: { message_ts: threadTs, channel_id: 'C1', thread_ts: undefined },
    message: { ts: threadTs, thread_ts: undefined, text: 'root' },
    actions: [{ action_id: actionId, block_id: 'controls', value }],
    response_url: h.slack.responseUrl(name),
  });
  expect((await h.action(press)).status).toBe(200);
  const answer = await h.slack.waitForResponse((r) => r.name === name);
  await h.idle();
  return String(answer.body.text);
}

async function commandAs(user: string, text: string): Promise<string> {
  const name = `cmd-${Math.random()}`;
  await h.command(text, { user_id: user, response_url: h.slack.responseUrl(name) });
  return String((await h.slack.waitForResponse((r) => r.name === name)).body.text);
}

describe('End session on a session no thread holds', () => {
  it('is refused to anyone but an admin, and a forged button value never ends another session', async () => {
    await start();
    const unbound = h.devin.addSession().session_id;
    const { sessionId: mine, threadTs } = await h.linkedThread();

    await endFromHome(unbound, ALICE);
    expect(ends(unbound)).toBe(0);
    const forged = await pressOnRoot('end_session', unbound, threadTs);
    expect(forged).toBe("That button names another session than this thread's, so nothing was done.");
    expect(ends(unbound)).toBe(0);
    expect(ends(mine)).toBe(0);

    await endFromHome(unbound, ADMIN);
    expect(ends(unbound)).toBe(1);
    const audited = h.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'audit' && l.action === 'end');
    expect(audited.map((l) => [l.user_id, l.outcome, l.reason ?? '', l.admin ?? false])).toEqual([
      [ALICE, 'refused', 'not-the-owner', false],
      [ALICE, 'refused', 'other-session', false],
      [ADMIN, 'done', 'admin', true],
      [ADMIN, 'done', '', true],
    ]);
  });

  it('refuses a forged Resend naming another session bound in a thread the person may steer', async () => {
    await start();
    const first = await h.linkedThread();
    const second = await h.linkedThread();
    expect(await pressOnRoot('resend_held', second.sessionId, first.threadTs)).toMatch(/names another session/);
  });

  it('on API v3 with DEVIN_ACT_AS_SLACK_USER, lets the person the session belongs to end it', async () => {
    await start({ devinVersion: 'v3', env: { DEVIN_ACT_AS_SLACK_USER: 'true' } });
    h.devin.v3?.members.push({ user_id: 'user-alice', email: 'alice@example.com' });
    h.devin.v3?.members.push({ user_id: 'user-bob', email: 'bob@example.com' });
    const owned = h.devin.addSession({ user_id: 'user-alice' }).session_id;

    await endFromHome(owned, BOB);
    expect(ends(owned)).toBe(0);
    await endFromHome(owned, ALICE);
    expect(ends(owned)).toBe(1);
  });
});

describe('/devin say and /devin status on a session no thread holds', () => {
  it('follow LINK_POLICY: with admins only, nobody else may talk to it or read it', async () => {
    await start({ env: { LINK_POLICY: 'admins' } });
    const unbound = h.devin.addSession().session_id;

    expect(await commandAs(ALICE, `say ${unbound} push it`)).toBe(
      'Only admins can link a Devin session started elsewhere.',
    );
    expect(await commandAs(ALICE, `status ${unbound}`)).toBe('Only admins can link a Devin session started elsewhere.');
    expect(h.devin.delivered(unbound)).toEqual([]);
    expect(await commandAs(ADMIN, `status ${unbound}`)).toMatch(/^\*Fake session\*/);
    expect(await commandAs(ADMIN, `say ${unbound} push it`)).toMatch(/Delivered/);
  });
});
