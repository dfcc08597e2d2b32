import { refusalSentence } from '../../src/relay/access-policy';
import { expectWithinBlockKit } from '../support/block-kit-limits';
import { Harness } from '../support/harness';
import { appHomeOpened, blockAction, type Json } from '../support/slack-signing';

/** The App Home opens with Needs you: what waits for the person, each with the one action it takes. */
let h: Harness;
afterEach(() => h?.close());

async function openHome(user: string): Promise<Json> {
  const before = h.slack.callsTo('views.publish').length;
  await h.event(appHomeOpened({ user }));
  const published = await h.slack.waitForCount('views.publish', before + 1);
  const view = published.at(-1)?.view;
  expectWithinBlockKit(view, 'home');
  return view;
}

/** The blocks from Needs you's header to the first divider. */
function needsYou(view: Json): Json[] {
  const blocks: Json[] = view.blocks;
  expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Needs you' } });
  return blocks.slice(
    1,
    blocks.findIndex((b) => b.type === 'divider'),
  );
}

const words = (blocks: Json[]) => blocks.filter((b) => b.type === 'section').map((b) => b.text.text);
const actions = (blocks: Json[]) =>
  blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: Json) => e));

function homePress(actionId: string, value: string, user: string): Json {
  const press = blockAction({
    container: { type: 'view', view_id: 'V0HOME0001', message_ts: undefined, channel_id: undefined },
    view: { id: 'V0HOME0001', type: 'home', team_id: 'T1', blocks: [] },
    actions: [{ action_id: actionId, value }],
  });
  delete press.channel;
  delete press.message;
  delete press.response_url;
  (press.user as Json).id = user;
  return press;
}

async function pressOnHome(actionId: string, value: string, user: string): Promise<string[]> {
  const before = h.slack.callsTo('views.publish').length;
  expect((await h.action(homePress(actionId, value, user))).status).toBe(200);
  await h.slack.waitForCount('views.publish', before + 1);
  await h.idle();
  const view = h.slack.homeOf(user) ?? { blocks: [] };
  return view.blocks.flatMap((b: Json) => (b.type === 'context' ? b.elements.map((e: Json) => e.text) : []));
}

describe('on API v1', () => {
  beforeEach(async () => {
    h = await Harness.start({ env: { STEER_POLICY: 'starter' } });
  });

  it('lists the sessions waiting for the person and their held replies, each with its action; nothing of others', async () => {
    const waiting = await h.linkAs('U1', 'Needs a <reply> & more');
    const held = await h.linkAs('U1', 'Held reply');
    const theirs = await h.linkAs('U2', 'Bob waits');
    h.devin.setState(waiting.sessionId, 'waiting');
    h.devin.setState(theirs.sessionId, 'waiting');
    await h.poll(5000);
    h.devin.pause(held.sessionId);
    await h.reply(held.threadTs, 'are you there?');
    await h.slack.waitFor('reactions.add', (a) => a.name === 'double_vertical_bar');

    const mine = needsYou(await openHome('U1'));
    // In the order of the person's sessions, the most recently active first (the reply made the held one active).
    expect(words(mine).sort()).toEqual(
      [
        ':speech_balloon: *Needs a &lt;reply&gt; &amp; more* waits for your reply in its thread.',
        ':warning: Replies of yours to *Held reply* did not reach Devin (1 held).',
      ].sort(),
    );
    expect(actions(mine)).toHaveLength(2);
    expect(actions(mine)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action_id: 'open_thread',
          url: `https://acme.slack.com/archives/C1/p${waiting.threadTs.replace('.', '')}`,
        }),
        expect.objectContaining({ action_id: 'resend_held', value: held.sessionId, text: expect.anything() }),
      ]),
    );
    const bobs = needsYou(await openHome('U2'));
    expect(words(bobs)).toEqual([':speech_balloon: *Bob waits* waits for your reply in its thread.']);
    expect(actions(bobs)).toEqual([expect.objectContaining({ action_id: 'open_thread', text: expect.anything() })]);
  });

  it("applies the thread's rules to its Resend: refused for another person, and for a forged session; done for the author", async () => {
    const held = await h.linkAs('U1', 'Held reply');
    const theirs = await h.linkAs('U2', 'Bob');
    h.devin.pause(held.sessionId);
    await h.reply(held.threadTs, 'are you there?');
    await h.slack.waitFor('reactions.add', (a) => a.name === 'double_vertical_bar');
    h.devin.resume(held.sessionId);

    const refused =
      'Only the person who started this session, and the people they allow, can steer it; nothing was sent to Devin.';
    expect(await pressOnHome('resend_held', held.sessionId, 'U2')).toContain(refused);
    expect(await pressOnHome('resend_held', theirs.sessionId, 'U1')).toContain(refused);
    const forged = await pressOnHome('resend_held', 'devin-ffffffffffffffffffffffffffffffff', 'U1');
    expect(forged.join(' ')).not.toContain('Delivered');
    expect(h.devin.delivered(held.sessionId)).toEqual([]);

    expect(await pressOnHome('resend_held', held.sessionId, 'U1')).toContain('Delivered 1 waiting reply.');
    expect(h.devin.delivered(held.sessionId)).toHaveLength(1);
    expect(words(needsYou(await openHome('U1')))).toEqual(['Nothing needs you right now.']);
  });

  it('shows a refusal, and nothing of anyone, to a person the allowlists refuse', async () => {
    await h.close();
    h = await Harness.start({ env: { ALLOWED_USER_IDS: 'U1' } });
    const waiting = await h.linkAs('U1', 'Needs a reply');
    h.devin.setState(waiting.sessionId, 'waiting');
    await h.poll(5000);
    const view = await openHome('U2');
    expect(words(needsYou(view))).toEqual(['Nothing needs you right now.']);
    expect(JSON.stringify(view)).toContain(refusalSentence('user'));
    expect(JSON.stringify(view)).not.toContain('Needs a reply');
  });
});

it('on API v3 names the sessions whose cap is nearly spent, with a link to raise it, and the channels spend today', async () => {
  h = await Harness.start({ devinVersion: 'v3', env: { DEVIN_MAX_ACU_LIMIT: '10' } });
  await h.command('new fix the flaky login test');
  await h.idle();
  const session = [...h.devin.sessions.values()][0];
  if (!session) throw new Error('no session');
  await h.poll(0);
  h.devin.spend(session.session_id, 8.5);
  h.devin.setState(session.session_id, 'approval');
  await h.poll(5000);
  const blocks = needsYou(await openHome('U1'));
  expect(words(blocks)).toEqual([
    ':raised_hand: *Fake session* waits for an approval in Devin.',
    ':fuel_pump: *Fake session* has spent 8.5 of 10 ACUs ▰▰▰▰▰▰▰▰▱▱: raise its cap in Devin if it should go on.',
    '*Spent today (UTC) in your channels*\n• <#C1>: 8.5 ACUs',
  ]);
  expect(actions(blocks)).toEqual([
    expect.objectContaining({ action_id: 'open_in_devin', text: { type: 'plain_text', text: 'Open in Devin' } }),
    expect.objectContaining({ action_id: 'open_in_devin', text: { type: 'plain_text', text: 'Raise cap in Devin' } }),
  ]);
});
