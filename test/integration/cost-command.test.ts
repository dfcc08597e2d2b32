import { refusalSentence } from '../../src/relay/access-policy';
import { expectWithinBlockKit } from '../support/block-kit-limits';
import { Harness } from '../support/harness';

/** `/devin cost [today|week]`: what the sessions the bridge knows spent, by channel and by person. */
let h: Harness;
afterEach(() => h?.close());

const DAY_MS = 24 * 60 * 60_000;
let counter = 0;

/** Runs `/devin <text>` as `user` in `channel` and resolves with the ephemeral answer. */
async function ask(text: string, user = 'U1', channel = 'C1') {
  counter += 1;
  const name = `cost-${counter}`;
  await h.command(text, { user_id: user, channel_id: channel, response_url: h.slack.responseUrl(name) });
  const answer = await h.slack.waitForResponse((r) => r.name === name);
  expect(answer.body.response_type).toBe('ephemeral');
  return answer.body as { text: string; blocks?: unknown[] };
}

/** `/devin new` as `user` in `channel`; resolves with the new session's id once it is bound. */
async function startAs(user: string, channel: string): Promise<string> {
  const before = h.devin.sessions.size;
  await h.command(`new task of ${user}`, { user_id: user, channel_id: channel });
  await h.idle();
  const session = [...h.devin.sessions.values()][before];
  if (!session) throw new Error('no session created');
  return session.session_id;
}

describe('on API v3', () => {
  beforeEach(async () => {
    h = await Harness.start({ devinVersion: 'v3' });
    h.slack.channels.set('C2', 'design');
  });

  it('adds up by channel and by person, the largest first, for today or the last 7 days', async () => {
    const a = await startAs('U1', 'C1');
    const b = await startAs('U1', 'C1');
    const c = await startAs('U2', 'C2');
    const linked = await h.linkAs('U2', 'Linked one', 'C1');
    await h.poll(0);
    h.devin.spend(a, 2);
    h.devin.spend(b, 1.5);
    h.devin.spend(c, 6);
    h.devin.spend(linked.sessionId, 0.5);
    await h.poll(5000);

    const today = await ask('cost');
    expect(today.text).toContain('*ACUs spent today (UTC)* by sessions started or linked from Slack: 10 ACUs');
    expect(today.text).toContain('*By channel*\n• <#C2>: 6 ACUs (1 session)\n• <#C1>: 4 ACUs (3 sessions)');
    expect(today.text).toContain('*By person*\n• Bob: 6.5 ACUs (2 sessions)\n• Alice: 3.5 ACUs (2 sessions)');
    expectWithinBlockKit(today, 'message');

    h.clock.advance(2 * DAY_MS);
    h.devin.spend(a, 5);
    await h.poll(10 * 60_000);
    expect((await ask('cost today')).text).toContain('today (UTC)* by sessions started or linked from Slack: 3 ACUs');
    const week = await ask('cost week');
    expect(week.text).toContain('in the last 7 days (UTC)* by sessions started or linked from Slack: 13 ACUs');
    expect(week.text).toContain('• Alice: 6.5 ACUs (2 sessions)');
  });

  it('says when nothing was spent, refuses whom the rules refuse, and explains its words', async () => {
    expect((await ask('cost')).text).toContain('Nothing spent yet.');
    const usage = await h.command('cost month');
    expect(JSON.parse(usage.body).text).toContain('`/devin cost` takes `today` (the default) or `week`');
    await h.close();
    h = await Harness.start({ devinVersion: 'v3', env: { ALLOWED_USER_IDS: 'U1' } });
    expect((await ask('cost', 'U2')).text).toBe(refusalSentence('user'));
  });
});

it('on API v1 says that Devin reports no spend there', async () => {
  h = await Harness.start();
  expect((await ask('cost')).text).toContain("Devin's API v1 does not report what sessions spend");
});
