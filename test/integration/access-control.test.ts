import fc from 'fast-check';
import { fuzzRuns } from '../support/fuzz';
import { Harness } from '../support/harness';
import { relayedWords } from '../support/relayed-words';
import { appMentionEvent, blockAction, messageEvent, threadReply } from '../support/slack-signing';

let h: Harness;
afterEach(() => h.close());

const BOB = 'U2';

async function start(env: Record<string, string> = {}): Promise<Harness> {
  h = await Harness.start({ env });
  // U3 is a guest, U4 a bot user, U5 someone from a partner workspace (Slack Connect).
  h.slack.users.set('U3', { name: 'gus', realName: 'Gus Guest', guest: 'restricted' });
  h.slack.users.set('U4', { name: 'deploybot', realName: 'Deploy Bot', bot: true });
  h.slack.users.set('U5', { name: 'pat', realName: 'Pat Partner', team: 'T2' });
  return h;
}

/** A reply from `user` in the thread; resolves once the app has answered Slack and finished with it. */
async function replyAs(user: string, threadTs: string, text: string, event: Record<string, unknown> = {}) {
  const payload = threadReply(threadTs, text, { user, ...event });
  const answer = await h.event(payload);
  expect(answer.status).toBe(200);
  await h.idle();
  return String(payload.event.ts);
}

/** What the app told `user` privately. */
const toldPrivately = (user: string) =>
  h.slack
    .callsTo('chat.postEphemeral')
    .filter((args) => args.user === user)
    .map((args) => String(args.text));

/** Runs `/devin <text>` as `user` and resolves with the app's answer (the ack's, or the response_url's). */
async function commandAs(user: string, text: string, overrides: Record<string, string> = {}): Promise<string> {
  const name = `cmd-${Math.random()}`;
  const res = await h.command(text, { user_id: user, response_url: h.slack.responseUrl(name), ...overrides });
  if (res.body) return JSON.parse(res.body).text as string;
  const response = await h.slack.waitForResponse((r) => r.name === name);
  return String(response.body.text);
}

const delivered = (sessionId: string) => h.devin.delivered(sessionId);
const created = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions');

describe('ALLOWED_USER_IDS', () => {
  beforeEach(() => start({ ALLOWED_USER_IDS: 'U1' }));

  it('relays an allowed person, refuses another privately once per thread, and gives the refused reply no receipt', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await replyAs('U1', threadTs, 'from alice');
    const refusedTs = await replyAs(BOB, threadTs, 'from bob');
    await replyAs(BOB, threadTs, 'bob again');

    expect(delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: from alice']);
    expect(h.reactions(refusedTs)).toEqual([]);
    expect(toldPrivately(BOB)).toEqual([expect.stringContaining('not on the list of people who may use Devin here')]);
    const ephemeral = h.slack.callsTo('chat.postEphemeral')[0];
    expect(ephemeral?.thread_ts).toBe(threadTs);
    const refusal = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'audit' && l.outcome === 'refused');
    expect(refusal).toMatchObject({
      level: 30,
      user_id: BOB,
      channel_id: 'C1',
      session_id: sessionId,
      action: 'steer',
      reason: 'user',
    });
    expect(h.logs.filter((l) => l.includes('"audit"')).join('\n')).not.toContain('from bob');
  });

  it('starts no session for a refused mention, direct message or /devin new, and does for an allowed one', async () => {
    await h.event(appMentionEvent({ user: BOB, text: '<@UBOT> fix the build' }));
    await h.event(messageEvent({ user: BOB, channel: 'D1', channel_type: 'im', text: 'fix the build' }));
    expect(await commandAs(BOB, 'new fix the build')).toMatch(/not on the list/);
    await h.idle();
    expect(created()).toEqual([]);
    expect(toldPrivately(BOB)).toHaveLength(2);

    await h.event(appMentionEvent({ user: 'U1', text: '<@UBOT> fix the build' }));
    await h.idle();
    expect(created()).toHaveLength(1);
  });

  it('refuses /devin link and the Resend button to a person not on the list', async () => {
    const session = h.devin.addSession();
    expect(await commandAs(BOB, `link ${session.session_id}`)).toMatch(/not on the list/);
    const { sessionId, threadTs } = await h.linkedThread();
    const press = blockAction({
      user: { id: BOB, username: 'bob', name: 'bob', team_id: 'T1' },
      actions: [{ value: sessionId }],
      message: { thread_ts: threadTs },
      container: { thread_ts: threadTs },
      response_url: h.slack.responseUrl('resend'),
    });
    expect((await h.action(press)).status).toBe(200);
    const answer = await h.slack.waitForResponse((r) => r.name === 'resend');
    expect(answer.body.text).toMatch(/not on the list/);
    expect(h.devin.requests.filter((r) => r.path.endsWith('/message'))).toEqual([]);
  });
});

describe('ALLOWED_CHANNEL_IDS', () => {
  beforeEach(() => start({ ALLOWED_CHANNEL_IDS: 'C1' }));

  it('works in a listed channel and refuses the others', async () => {
    expect(await commandAs('U1', 'new fix the build', { channel_id: 'C2' })).toMatch(/not enabled in this channel/);
    await h.event(appMentionEvent({ channel: 'C2', text: '<@UBOT> fix the build' }));
    await h.idle();
    expect(created()).toEqual([]);
    const { sessionId, threadTs } = await h.linkedThread('C1');
    await replyAs('U1', threadTs, 'in the right channel');
    expect(delivered(sessionId)).toHaveLength(1);
  });
});

describe('STEER_POLICY=starter', () => {
  beforeEach(() => start({ STEER_POLICY: 'starter', ADMIN_USER_IDS: 'U9' }));

  it('lets the starter steer, and whom they allow until they deny them; an admin always; others are refused', async () => {
    h.slack.users.set('U9', { name: 'root', realName: 'Ruth Admin' });
    const { sessionId, threadTs } = await h.linkedThread();
    await replyAs(BOB, threadTs, 'bob before');
    expect(delivered(sessionId)).toEqual([]);
    expect(toldPrivately(BOB)).toEqual([expect.stringContaining('Only the person who started this session')]);

    expect(await commandAs(BOB, `allow ${sessionId} <@U2|bob>`)).toMatch(/Only the person who started this session/);
    expect(await commandAs('U1', `allow ${sessionId} <@U2|bob>`)).toMatch(/<@U2> may now steer/);
    await replyAs(BOB, threadTs, 'bob allowed');
    expect(await commandAs('U1', `status ${sessionId}`)).toMatch(/Who may steer \(thread in <#C1>\): <@U1>, <@U2>/);
    expect(await commandAs('U1', `deny ${sessionId} <@U2|bob>`)).toMatch(/<@U2> may no longer steer/);
    await replyAs(BOB, threadTs, 'bob denied');
    await replyAs('U9', threadTs, 'the admin');

    expect(delivered(sessionId)).toEqual([
      'Bob (@bob, U2) via Slack: bob allowed',
      'Ruth Admin (@root, U9) via Slack: the admin',
    ]);
  });

  it('keeps the policy a thread was bound under when the default changes later', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.stopApp();
    h = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir, env: { STEER_POLICY: 'anyone' } });
    await replyAs(BOB, threadTs, 'still not mine to steer');
    expect(delivered(sessionId)).toEqual([]);
    expect(toldPrivately(BOB)).toHaveLength(1);
  });
});

it('STEER_POLICY=allowlist lets only ALLOWED_USER_IDS steer', async () => {
  await start({ STEER_POLICY: 'allowlist', ALLOWED_USER_IDS: 'U1,U2' });
  const { sessionId, threadTs } = await h.linkedThread();
  await replyAs(BOB, threadTs, 'on the list');
  expect(delivered(sessionId)).toEqual(['Bob (@bob, U2) via Slack: on the list']);
});

it('LINK_POLICY=admins lets only ADMIN_USER_IDS link a session', async () => {
  await start({ LINK_POLICY: 'admins', ADMIN_USER_IDS: 'U1' });
  const session = h.devin.addSession();
  expect(await commandAs(BOB, `link ${session.session_id}`)).toMatch(/Only admins can link/);
  expect(await commandAs('U1', `link ${session.session_id}`)).toMatch(/^Linked/);
});

describe('guests, bots and other workspaces', () => {
  it('refuses a guest and a bot account, without a receipt, and admits guests when ALLOW_GUESTS=true', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    const guestTs = await replyAs('U3', threadTs, 'from a guest');
    await replyAs('U4', threadTs, 'from a bot account');
    expect(delivered(sessionId)).toEqual([]);
    expect(h.reactions(guestTs)).toEqual([]);
    expect(toldPrivately('U3')).toEqual([expect.stringContaining('Guest accounts cannot steer')]);
    await h.close();

    await start({ ALLOW_GUESTS: 'true' });
    const open = await h.linkedThread();
    await replyAs('U3', open.threadTs, 'guests welcome');
    expect(delivered(open.sessionId)).toEqual(['Gus Guest (@gus, U3) via Slack: guests welcome']);
  });

  it('refuses someone from another workspace unless ALLOWED_TEAM_IDS lists it', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await replyAs('U5', threadTs, 'from the partner', { user_team: 'T2' });
    expect(delivered(sessionId)).toEqual([]);
    expect(toldPrivately('U5')).toEqual([expect.stringContaining('People from your workspace cannot use Devin here')]);
    await h.close();

    await start({ ALLOWED_TEAM_IDS: 'T2' });
    const open = await h.linkedThread();
    await replyAs('U5', open.threadTs, 'partner welcome', { user_team: 'T2' });
    expect(delivered(open.sessionId)).toEqual(['Pat Partner (@pat, U5) via Slack: partner welcome']);
  });

  it('refuses a person whose account Slack cannot vouch for, and says to try again', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    h.slack.failNext('users.info', { body: { ok: false, error: 'fatal_error' } });
    h.slack.users.set('U6', { name: 'new', realName: 'New Person' });
    await replyAs('U6', threadTs, 'who am I');
    expect(delivered(sessionId)).toEqual([]);
    expect(toldPrivately('U6')).toEqual([expect.stringContaining('please try again shortly')]);
  });
});

describe('a session bound to a channel the person is not in', () => {
  beforeEach(() => start());

  it('answers /devin status, say and link as if the session did not exist', async () => {
    const { sessionId, threadTs } = await h.linkedThread('C1');
    h.slack.members.set('C1', ['U1']);
    const permalink = `https://acme.slack.com/archives/C1/p${threadTs.replace('.', '')}`;
    expect(await commandAs(BOB, `status ${sessionId}`, { channel_id: 'C2' })).toBe(
      `Devin has no session \`${sessionId}\`.`,
    );
    expect(await commandAs(BOB, `status ${permalink}`, { channel_id: 'C2' })).toBe(
      'That thread is not bound to a Devin session.',
    );
    expect(await commandAs(BOB, `say ${sessionId} let me in`, { channel_id: 'C2' })).toBe(
      `Devin has no session \`${sessionId}\`.`,
    );
    expect(await commandAs(BOB, `link ${sessionId}`, { channel_id: 'C2' })).toMatch(/Devin has no session/);
    expect(delivered(sessionId)).toEqual([]);

    expect(await commandAs('U1', `status ${sessionId}`)).toMatch(/Who may steer \(thread in <#C1>\): anyone/);
    expect(await commandAs('U1', `say ${sessionId} a member speaks`)).toMatch(/Delivered/);
  });
});

describe('random replies from allowed and refused people', () => {
  beforeEach(() => start({ ALLOWED_USER_IDS: 'U1,U3,U5' }));

  it('relays every reply of an allowed member, in order, and never one from a refused person', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    // U1 a member on the list; U2 a member off it; U3 a guest and U5 a partner's person, both on it yet refused.
    const author = fc.constantFrom('U1', 'U2', 'U3', 'U5');
    const words = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `w${s.replace(/[<>&\s]/g, 'x')}`);
    const sent: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(author, words), { minLength: 1, maxLength: 6 }), async (replies) => {
        for (const [user, text] of replies) {
          await replyAs(user, threadTs, text, user === 'U5' ? { user_team: 'T2' } : {});
          if (user === 'U1') sent.push(text);
        }
        expect(delivered(sessionId).map(relayedWords)).toEqual(sent);
      }),
      fuzzRuns(15),
    );
  });
});
