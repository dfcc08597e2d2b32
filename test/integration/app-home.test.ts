import { usageText } from '../../src/slack/views/usage-text';
import { expectWithinBlockKit } from '../support/block-kit-limits';
import { Harness } from '../support/harness';
import { appHomeOpened, blockAction, type Json } from '../support/slack-signing';

let h: Harness;
afterEach(() => h?.close());

/** `/devin link` of a new fake session as `user`; resolves with the session and its thread. */
const linkAs = (user: string, title: string, channel = 'C1') => h.linkAs(user, title, channel);

/** Opens the Home tab as `user` and resolves with the view published for them. */
async function openHome(user: string): Promise<Json> {
  const before = h.slack.callsTo('views.publish').length;
  const res = await h.event(appHomeOpened({ user }));
  expect(res.status).toBe(200);
  const published = await h.slack.waitForCount('views.publish', before + 1);
  const call = published.at(-1);
  expect(call?.user_id).toBe(user);
  expectWithinBlockKit(call?.view, 'home');
  return call?.view;
}

const texts = (view: Json): string[] =>
  view.blocks
    .flatMap((b: Json) => [b.text?.text, ...(b.elements ?? []).map((e: Json) => e.text)])
    .filter((t: unknown) => typeof t === 'string');
const buttons = (view: Json): Json[] =>
  view.blocks.filter((b: Json) => b.type === 'actions').flatMap((b: Json) => b.elements);
const sessionSections = (view: Json): string[] =>
  view.blocks
    .filter((b: Json) => b.type === 'section' && /^\*/.test(b.text.text) && b.text.text.includes('last activity'))
    .map((b: Json) => b.text.text.split('\n')[0]);

describe('App Home', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it("publishes, for whoever opens it, how to use Devin and that person's sessions only, with their buttons", async () => {
    const mine = await linkAs('U1', 'Fix the login test');
    await linkAs('U2', 'Bob works on this');
    await h.poll();

    const view = await openHome('U1');
    expect(view.type).toBe('home');
    expect(texts(view)).toContain(usageText());
    expect(sessionSections(view)).toEqual(['*Fix the login test*']);
    expect(JSON.stringify(view)).not.toContain('Bob works on this');
    const hex = mine.sessionId.slice('devin-'.length);
    expect(buttons(view)).toEqual([
      expect.objectContaining({
        action_id: 'open_thread',
        url: `https://acme.slack.com/archives/C1/p${mine.threadTs.replace('.', '')}`,
      }),
      expect.objectContaining({ action_id: 'open_in_devin', url: `https://app.devin.ai/sessions/${hex}` }),
      {
        type: 'button',
        action_id: 'end_session',
        text: { type: 'plain_text', text: 'End session' },
        style: 'danger',
        value: mine.sessionId,
        confirm: {
          title: { type: 'plain_text', text: 'End this session?' },
          text: {
            type: 'plain_text',
            text: 'Devin stops working on “Fix the login test” for good: an ended session cannot be resumed.',
          },
          confirm: { type: 'plain_text', text: 'End session' },
          deny: { type: 'plain_text', text: 'Keep it' },
          style: 'danger',
        },
      },
    ]);

    const bobs = await openHome('U2');
    expect(sessionSections(bobs)).toEqual(['*Bob works on this*']);
  });

  it('acknowledges the presses of its link buttons', async () => {
    const res = await h.action(
      blockAction({ actions: [{ action_id: 'open_thread', value: undefined, url: 'https://acme.slack.com/' }] }),
    );
    expect(res.status).toBe(200);
    expect(h.logs.some((line) => JSON.parse(line).msg?.includes('could not be handled'))).toBe(false);
  });

  it('says how to start a session when the person has none', async () => {
    const view = await openHome('U1');
    expect(texts(view).some((t) => t.startsWith('You have no Devin sessions yet'))).toBe(true);
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    await h.event(appHomeOpened({ user: 'U1', tab: 'messages' }));
    await openHome('U2');
    expect(h.slack.callsTo('views.publish').map((c) => c.user_id)).toEqual(['U2']);
  });

  it('resends held replies from its Resend button and says so on the Home view', async () => {
    const { sessionId, threadTs } = await linkAs('U1', 'Fix the login test');
    h.devin.pause(sessionId);
    await h.reply(threadTs, 'are you there?');
    await h.slack.waitFor('reactions.add', (a) => a.name === 'double_vertical_bar');
    const view = await openHome('U1');
    expect(texts(view).some((t) => t.includes('1 reply waiting (1 held)'))).toBe(true);
    const resend = buttons(view).find((b) => b.action_id === 'resend_held');
    expect(resend).toMatchObject({ value: sessionId, text: { text: 'Resend' } });

    h.devin.resume(sessionId);
    const before = h.slack.callsTo('views.publish').length;
    const res = await h.action(homePress('resend_held', sessionId));
    expect(res.status).toBe(200);
    await h.slack.waitForCount('views.publish', before + 1);
    const after = h.slack.homeOf('U1');
    expectWithinBlockKit(after ?? {}, 'home');
    expect(texts(after ?? {})).toContain('Delivered 1 waiting reply.');
    expect(texts(after ?? {}).some((t) => t.includes('no replies waiting'))).toBe(true);
    expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: are you there?']);
  });
});

describe('End session on the App Home', () => {
  it('ends the session once and says so on the Home view, where the press came from', async () => {
    h = await Harness.start();
    const { sessionId } = await linkAs('U1', 'Fix the login test');
    const before = h.slack.callsTo('views.publish').length;
    expect((await h.action(homePress('end_session', sessionId))).status).toBe(200);
    await h.slack.waitForCount('views.publish', before + 1);
    const after = h.slack.homeOf('U1');
    expectWithinBlockKit(after ?? {}, 'home');
    expect(texts(after ?? {})).toContain('You ended the session; Devin has stopped working on it.');
    expect(h.devin.terminatedCount(sessionId)).toBe(1);
  });

  it('tells someone who may not steer the session why, on their Home view, and ends nothing', async () => {
    h = await Harness.start({ env: { STEER_POLICY: 'starter' } });
    const { sessionId } = await linkAs('U1', 'Fix the login test');
    const before = h.slack.callsTo('views.publish').length;
    const press = homePress('end_session', sessionId);
    (press.user as Json).id = 'U2';
    expect((await h.action(press)).status).toBe(200);
    await h.slack.waitForCount('views.publish', before + 1);
    const theirs = h.slack.homeOf('U2');
    expect(texts(theirs ?? {})).toContain(
      'Only the person who started this session, and the people they allow, can steer it; nothing was sent to Devin.',
    );
    expect(h.devin.terminatedCount(sessionId)).toBe(0);
  });
});

describe('App Home when a session changes status', () => {
  beforeEach(async () => {
    h = await Harness.start({ homeRefreshMs: 400 });
  });

  it("publishes the Home of the session's people again, at most once per interval", async () => {
    const { session } = await linkAs('U1', 'Fix the login test');
    await h.poll();
    // The first status a poll finds is a change: published at once, nobody had it published lately.
    const [first] = await h.slack.waitForCount('views.publish', 1);
    expect(first?.user_id).toBe('U1');
    expect(texts(first?.view).some((t) => t.includes(':large_green_circle: working'))).toBe(true);

    session.status_enum = 'blocked';
    await h.poll(60_000);
    session.status_enum = 'working';
    await h.poll(60_000);
    expect(h.slack.callsTo('views.publish')).toHaveLength(1);

    // Once the interval is over, the latest state is published, once.
    const published = await h.slack.waitForCount('views.publish', 2);
    expectWithinBlockKit(published[1]?.view, 'home');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.slack.callsTo('views.publish')).toHaveLength(2);
    expect(texts(h.slack.homeOf('U1') ?? {}).some((t) => t.includes(':large_green_circle: working'))).toBe(true);
  });
});

describe('App Home for someone the allowlists refuse', () => {
  beforeEach(async () => {
    h = await Harness.start({ env: { ALLOWED_USER_IDS: 'U1' } });
  });

  it('shows the refusal instead of sessions', async () => {
    const view = await openHome('U2');
    expect(texts(view)).toContain(
      'You are not on the list of people who may use Devin here, so nothing was sent to Devin.',
    );
    expect(sessionSections(view)).toEqual([]);
  });
});

/** A button press on the App Home: no channel, no message, no response_url. */
function homePress(actionId: string, value: string): Json {
  const press = blockAction({
    container: {
      type: 'view',
      view_id: 'V0HOME0001',
      message_ts: undefined,
      channel_id: undefined,
      is_ephemeral: undefined,
      thread_ts: undefined,
    },
    view: { id: 'V0HOME0001', type: 'home', team_id: 'T1', blocks: [] },
    actions: [{ action_id: actionId, value }],
  });
  delete press.channel;
  delete press.message;
  delete press.response_url;
  return press;
}
