import { Harness } from '../support/harness';
import type { Json } from '../support/slack-signing';
import { threadReply } from '../support/slack-signing';

/** A session's spend against its cap: the meter on the root, the 80% warning once, and `acu:<n>` in its thread. */
let h: Harness;
let restarted: Harness | undefined;
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
  await h?.close();
});

const POLL_MS = 5000;
const ORG = '/v3/organizations/org-test';

/** `/devin new` as U1 in C1; resolves with the session and its thread once it works. */
async function started(harness: Harness) {
  const roots = () =>
    harness.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && String(c.args.text).includes('is starting a Devin'),
    );
  const before = roots().length;
  await harness.command('new fix the flaky login test');
  await harness.idle();
  const threadTs = roots()[before]?.answer?.ts as string;
  const session = [...harness.devin.sessions.values()].at(-1);
  if (!session) throw new Error('no session created');
  await harness.poll(0);
  return { sessionId: session.session_id, threadTs };
}

const ephemeralsTo = (user: string, threadTs: string) =>
  h.slack
    .callsTo('chat.postEphemeral')
    .filter((a) => a.user === user && a.thread_ts === threadTs)
    .map((a) => String(a.text));

const reply = async (threadTs: string, text: string, user = 'U1') => {
  const payload = threadReply(threadTs, text, { user } as Json);
  await h.event(payload);
  await h.idle();
};

describe('API v3 (sessions report acus_consumed)', () => {
  beforeEach(async () => {
    h = await Harness.start({ devinVersion: 'v3', env: { DEVIN_MAX_ACU_LIMIT: '10', ADMIN_USER_IDS: 'U9' } });
  });

  it('shows the spend against the cap as a meter on the root, edited only when the meter moves', async () => {
    const { sessionId, threadTs } = await started(h);
    expect(h.rootUpdates(threadTs).at(-1)).toMatch(/· 0 of 10 ACUs ▱▱▱▱▱▱▱▱▱▱$/);
    h.devin.spend(sessionId, 3.2);
    await h.poll(POLL_MS);
    expect(h.rootUpdates(threadTs).at(-1)).toMatch(/· 3\.2 of 10 ACUs ▰▰▰▱▱▱▱▱▱▱$/);
    const edits = h.rootUpdates(threadTs).length;
    h.devin.spend(sessionId, 3.6);
    await h.poll(POLL_MS);
    expect(h.rootUpdates(threadTs)).toHaveLength(edits);
    h.devin.spend(sessionId, 12);
    await h.poll(POLL_MS);
    expect(h.rootUpdates(threadTs).at(-1)).toMatch(/· 12 of 10 ACUs ▰▰▰▰▰▰▰▰▰▰ \(all spent\)$/);
  });

  it('tells the thread once, at 80% of the cap, who can raise it; not again after a restart', async () => {
    const { sessionId, threadTs } = await started(h);
    h.devin.spend(sessionId, 7.9);
    await h.poll(POLL_MS);
    expect(h.posted(threadTs).filter((t) => t.includes('of its cap'))).toEqual([]);
    h.devin.spend(sessionId, 8);
    await h.poll(POLL_MS);
    const warnings = () => h.posted(threadTs).filter((t) => t.includes('of its cap'));
    expect(warnings()).toEqual([
      expect.stringMatching(/spent 8 of 10 ACUs ▰{8}▱▱ of its cap\. <@U1>, <@U9> can raise it: reply `acu:<n>`/),
    ]);
    h.devin.spend(sessionId, 9);
    await h.poll(POLL_MS);
    await h.stopApp();
    restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir, devinVersion: 'v3' });
    h.devin.spend(sessionId, 9.5);
    await restarted.poll(10 * 60_000);
    expect(warnings()).toHaveLength(1);
  });

  it('answers acu:<n> from the starter or an admin that the API cannot raise a running cap, refuses others, and sends Devin nothing', async () => {
    const { sessionId, threadTs } = await started(h);
    const sends = () =>
      h.devin.requests.filter((r) => r.method === 'POST' && r.path === `${ORG}/sessions/${sessionId}/messages`);
    const before = sends().length;
    await reply(threadTs, 'acu:50');
    expect(ephemeralsTo('U1', threadTs)).toEqual([
      expect.stringContaining(
        "Devin's API has no way to change the ACU cap of a running session, so 50 ACUs was not set",
      ),
    ]);
    await reply(threadTs, 'ACU:40', 'U9');
    expect(ephemeralsTo('U9', threadTs)).toEqual([expect.stringContaining('no way to change the ACU cap')]);
    await reply(threadTs, 'acu:50', 'U2');
    expect(ephemeralsTo('U2', threadTs)).toEqual([
      ':no_entry: Only the person who started this session or an admin can raise its ACU cap; it stays as it is.',
    ]);
    await reply(threadTs, 'acu:lots');
    expect(ephemeralsTo('U1', threadTs).at(-1)).toContain('needs a whole number of ACUs above 0');
    expect(sends()).toHaveLength(before);
    expect(h.posted(threadTs).some((t) => t.includes('acu:'))).toBe(false);
  });

  it("posts one closing summary with pull requests, spend, duration and Devin's insights", async () => {
    const { sessionId, threadTs } = await started(h);
    h.devin.v3?.insights.set(sessionId, {
      classification: { category: 'bug fix' },
      issues: ['The test depended on <!here> timing'],
      action_items: [{ description: 'Add a retry' }],
    });
    h.clock.advance(25 * 60_000);
    h.devin.spend(sessionId, 4.25);
    h.devin.mustGet(sessionId).pull_requests = [{ pr_url: 'https://github.com/acme/app/pull/7', pr_state: 'merged' }];
    h.devin.setState(sessionId, 'finished');
    await h.poll(POLL_MS);
    await h.poll(10 * 60_000);
    const summaries = h.posted(threadTs).filter((t) => t.includes('Closing summary'));
    expect(summaries).toHaveLength(1);
    const summary = summaries[0] ?? '';
    expect(summary).toContain(':checkered_flag: Devin finished.');
    expect(summary).toContain('Pull request: <https://github.com/acme/app/pull/7> (merged)');
    expect(summary).toContain('Spent: 4.3 of 10 ACUs ▰▰▰▰▱▱▱▱▱▱ · took 25 min');
    expect(summary).toContain('• Category: bug fix');
    expect(summary).toContain('• Issue: The test depended on &lt;!here&gt; timing');
    expect(summary).toContain('• Action item: Add a retry');
    expect(h.posted(threadTs).filter((t) => t.includes('Devin finished'))).toHaveLength(1);
  });

  it('leaves the insights out, quietly, when the organization does not allow them (403) or has none (404)', async () => {
    const first = await started(h);
    if (h.devin.v3) h.devin.v3.insightsStatus = 403;
    h.devin.setState(first.sessionId, 'finished');
    await h.poll(POLL_MS);
    const summary = h.posted(first.threadTs).find((t) => t.includes('Closing summary')) ?? '';
    expect(summary).toContain('Pull requests: none.');
    expect(summary).not.toContain('insights');
    if (h.devin.v3) h.devin.v3.insightsStatus = undefined;
    const second = await started(h);
    h.devin.setState(second.sessionId, 'error');
    await h.poll(10 * 60_000);
    expect(h.posted(second.threadTs).filter((t) => t.includes('Closing summary'))).toEqual([
      expect.stringContaining('The session ended with an error; replies here can no longer reach it'),
    ]);
    expect(h.logs.filter((line) => line.includes('insights'))).toEqual([]);
    expect((await h.running.readiness.failing()).notReady).toEqual([]);
  });
});

describe('API v1 (sessions report no spend)', () => {
  beforeEach(async () => {
    h = await Harness.start({ env: { DEVIN_MAX_ACU_LIMIT: '10' } });
  });

  it('shows no meter and gives no warning, answers acu:<n> all the same, and closes with a summary that says so', async () => {
    const { sessionId, threadTs } = await started(h);
    h.devin.spend(sessionId, 9);
    await h.poll(POLL_MS);
    expect(h.rootUpdates(threadTs).at(-1)).not.toContain('ACU');
    expect(h.posted(threadTs).some((t) => t.includes('of its cap'))).toBe(false);
    await reply(threadTs, 'acu:50');
    expect(ephemeralsTo('U1', threadTs)).toEqual([expect.stringContaining('no way to change the ACU cap')]);
    h.devin.setState(sessionId, 'finished');
    await h.poll(POLL_MS);
    const summaries = h.posted(threadTs).filter((t) => t.includes('Closing summary'));
    expect(summaries).toEqual([expect.stringContaining('ACUs spent: not reported by this API')]);
  });
});
