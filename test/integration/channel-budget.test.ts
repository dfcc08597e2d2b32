import { refusalSentence } from '../../src/relay/access-policy';
import { Harness } from '../support/harness';
import {
  appHomeOpened,
  appMentionEvent,
  messageEvent,
  messageShortcut,
  nextTs,
  viewSubmission,
} from '../support/slack-signing';

/** A channel's daily ACU budget (`/devin config budget`): starts refused once it is spent, until midnight UTC. */
let h: Harness;
afterEach(() => h?.close());

const DAY_MS = 24 * 60 * 60_000;
const ORG = '/v3/organizations/org-test';
const created = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path === `${ORG}/sessions`);
const BUDGET_SPENT =
  /^:money_with_wings: This channel's daily budget of 10 ACUs is spent, so no session was started\. It resets at midnight UTC, <!date\^(\d+)\^/;

async function commandAs(user: string, text: string, channel = 'C1'): Promise<string> {
  const name = `cmd-${Math.random()}`;
  const res = await h.command(text, { user_id: user, channel_id: channel, response_url: h.slack.responseUrl(name) });
  if (res.body) return JSON.parse(res.body).text as string;
  const answer = String((await h.slack.waitForResponse((r) => r.name === name)).body.text);
  await h.idle();
  return answer;
}

const toldPrivately = (user: string) =>
  h.slack
    .callsTo('chat.postEphemeral')
    .filter((args) => args.user === user)
    .map((args) => String(args.text));

/** Starts a session with `/devin new` in `channel` and has it spend `acus`. */
async function startSpending(acus: number, channel = 'C1'): Promise<void> {
  const before = h.devin.sessions.size;
  await commandAs('U1', 'new fix the build', channel);
  const session = [...h.devin.sessions.values()][before];
  if (!session) throw new Error('no session created');
  await h.poll(0);
  h.devin.spend(session.session_id, acus);
  await h.poll(5000);
}

describe('on API v3', () => {
  beforeEach(async () => {
    h = await Harness.start({ devinVersion: 'v3' });
  });

  it('refuses every new start once the day’s budget is spent, says when it resets, and starts again the next UTC day', async () => {
    expect(await commandAs('U1', 'config budget 10')).toContain("This channel's daily budget is now 10 ACUs");
    await startSpending(6);
    await startSpending(4.5);
    expect(await commandAs('U1', 'config budget')).toBe(
      "This channel's daily budget is 10 ACUs. Sessions started here spent 10.5 ACUs today (UTC).",
    );
    const before = created().length;

    const refused = await commandAs('U2', 'new one more thing');
    const midnight = (Math.floor(h.clock.now() / DAY_MS) + 1) * DAY_MS;
    expect(refused).toMatch(BUDGET_SPENT);
    expect(Number(BUDGET_SPENT.exec(refused)?.[1]) * 1000).toBe(midnight);

    await h.event(appMentionEvent({ user: 'U2', text: '<@UBOT> fix the build', ts: nextTs() }));
    await h.idle();
    expect(toldPrivately('U2')).toEqual([expect.stringMatching(BUDGET_SPENT)]);

    const responseUrl = h.slack.responseUrl('form');
    await h.action(
      messageShortcut({ ts: nextTs(), user: 'U1', text: 'the login test is flaky' }, { response_url: responseUrl }),
    );
    const [opened] = await h.slack.waitForCount('views.open', 1);
    await h.slack.waitForCount('views.update', 1);
    await h.action(viewSubmission(String(opened?.view.private_metadata), 'new'));
    await h.idle();
    // The form's sender (Bob) is told privately, beside the message.
    expect(toldPrivately('U2')).toEqual([expect.stringMatching(BUDGET_SPENT), expect.stringMatching(BUDGET_SPENT)]);
    expect(created()).toHaveLength(before);

    // Another channel has its own budget (none): it starts.
    await commandAs('U1', 'new fix the docs', 'C2');
    expect(created()).toHaveLength(before + 1);

    h.clock.advance(midnight - h.clock.now() + 60_000);
    expect(await commandAs('U2', 'new one more thing')).not.toMatch(BUDGET_SPENT);
    expect(created()).toHaveLength(before + 2);
  });

  it('refuses a direct message start once the conversation’s budget is spent', async () => {
    const DM = 'D0DIRECT1';
    expect(await commandAs('U1', 'config budget 10', DM)).toContain('daily budget is now 10 ACUs');
    await h.event(messageEvent({ channel: DM, channel_type: 'im', text: 'add a health check endpoint' }));
    await h.idle();
    const session = [...h.devin.sessions.values()][0];
    if (!session) throw new Error('no session created');
    await h.poll(0);
    h.devin.spend(session.session_id, 10);
    await h.poll(5000);
    await h.event(messageEvent({ channel: DM, channel_type: 'im', text: 'and another', ts: nextTs() }));
    await h.idle();
    expect(toldPrivately('U1')).toEqual([expect.stringMatching(BUDGET_SPENT)]);
    expect(created()).toHaveLength(1);
  });

  it('shows the budget of each of the person’s channels on their App Home', async () => {
    await commandAs('U1', 'config budget 10');
    await startSpending(4);
    const before = h.slack.callsTo('views.publish').length;
    await h.event(appHomeOpened({ user: 'U1' }));
    const [view] = (await h.slack.waitForCount('views.publish', before + 1)).slice(-1);
    expect(JSON.stringify(view?.view)).toContain('• <#C1>: 4 of 10 ACUs ▰▰▰▰▱▱▱▱▱▱ of its daily budget');
  });

  it('is set only by admins when there are some, turned off, and refused to whom the rules refuse', async () => {
    await h.close();
    h = await Harness.start({ devinVersion: 'v3', env: { ADMIN_USER_IDS: 'U9', ALLOWED_USER_IDS: 'U1,U9' } });
    expect(await commandAs('U1', 'config budget 5')).toBe(
      "Only admins can change this channel's daily ACU budget; it stays as it is.",
    );
    expect(await commandAs('U9', 'config budget 5')).toContain('daily budget is now 5 ACUs');
    expect(await commandAs('U1', 'config budget')).toContain("This channel's daily budget is 5 ACUs.");
    expect(await commandAs('U1', 'config')).toContain('Daily ACU budget: 5 ACUs');
    expect(await commandAs('U2', 'config budget off')).toBe(refusalSentence('user'));
    expect(await commandAs('U9', 'config budget off')).toBe("This channel's daily ACU budget is off.");
    expect(await commandAs('U1', 'config budget')).toContain('This channel has no daily ACU budget');
    expect(await commandAs('U9', 'config budget lots')).toContain('`/devin config budget` takes a whole number');
  });
});

it('on API v1 sets no budget, since sessions there report no spend', async () => {
  h = await Harness.start();
  expect(await commandAs('U1', 'config budget 10')).toContain(
    "Devin's API v1 does not report what sessions spend, so a daily budget cannot be kept; nothing was set.",
  );
  expect(await commandAs('U1', 'config budget')).toContain('This channel has no daily ACU budget');
});
