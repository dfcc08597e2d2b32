import { Harness } from '../support/harness';
import { blockAction } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const LONG_MS = 10 * 60_000;
const WORKING = 'Devin is working...';

/** The statuses set in the thread, in order ('' clears it). */
const statuses = (threadTs: string) =>
  h.slack
    .callsTo('assistant.threads.setStatus')
    .filter((a) => a.channel_id === 'C1' && a.thread_ts === threadTs)
    .map((a) => a.status);

function setState(sessionId: string, statusEnum: string, status = 'running'): void {
  Object.assign(h.devin.sessions.get(sessionId) ?? {}, { status_enum: statusEnum, status });
}

describe("Slack's loading indicator", () => {
  it('is shown while polling sees the session working, renewed while it goes on, and cleared when it waits', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    expect(statuses(threadTs)).toEqual([WORKING]);
    await h.poll(5_000);
    await h.poll(5_000);
    expect(statuses(threadTs)).toEqual([WORKING]);
    await h.poll(40_000);
    expect(statuses(threadTs)).toEqual([WORKING, WORKING]);

    setState(sessionId, 'blocked');
    await h.poll(LONG_MS);
    expect(statuses(threadTs)).toEqual([WORKING, WORKING, '']);
    await h.poll(LONG_MS);
    expect(statuses(threadTs)).toEqual([WORKING, WORKING, '']);
    setState(sessionId, 'working');
    await h.poll(LONG_MS);
    expect(statuses(threadTs)).toEqual([WORKING, WORKING, '', WORKING]);
  });

  it('is kept up on API v3 while the session works in silence, though the change feed reads it only when it changes', async () => {
    await h.close();
    h = await Harness.start({ devinVersion: 'v3' });
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.setState(sessionId, 'working');
    await h.poll(5_000);
    expect(statuses(threadTs)).toEqual([WORKING]);
    const reads = () => h.devin.requests.filter((c) => c.method === 'GET' && c.path.includes(sessionId)).length;
    await h.poll(50_000); // the feed reads a session listed again with the same updated_at once more, then no more
    const readsBefore = reads();
    // Five silent minutes: the feed lists nothing, the session is not read, and Slack would let a 2-minute status lapse.
    for (let i = 0; i < 6; i += 1) await h.poll(50_000);
    // At most its hourly safety read (two calls), should its moment of the hour fall in these five minutes.
    expect(reads() - readsBefore).toBeLessThanOrEqual(2);
    expect(statuses(threadTs).length).toBeGreaterThanOrEqual(5);
    expect(new Set(statuses(threadTs))).toEqual(new Set([WORKING]));

    h.devin.setState(sessionId, 'waiting');
    await h.poll(5_000);
    expect(statuses(threadTs).at(-1)).toBe('');
    const count = statuses(threadTs).length;
    await h.poll(LONG_MS);
    expect(statuses(threadTs)).toHaveLength(count);
  });

  it('is set again after Devin posts in the thread (Slack clears it then)', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    h.devin.say(sessionId, 'd1', 'Looking at the test now.');
    await h.poll(5_000);
    await h.poll(5_000);
    expect(statuses(threadTs)).toEqual([WORKING, WORKING]);
    const posted = h.slack.calls.findIndex(
      (c) => c.method === 'chat.postMessage' && c.args.text === 'Looking at the test now.',
    );
    const renewed = h.slack.calls.findLastIndex((c) => c.method === 'assistant.threads.setStatus');
    expect(renewed).toBeGreaterThan(posted);
  });

  it.each([
    ['goes to sleep', 'suspend_requested', 'suspended'],
    ['finishes', 'finished', 'exit'],
    ['expires', 'expired', 'expired'],
  ])('is cleared when the session %s', async (_, statusEnum, status) => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    setState(sessionId, statusEnum, status);
    await h.poll(LONG_MS);
    expect(statuses(threadTs)).toEqual([WORKING, '']);
  });

  it('is cleared when someone ends the session', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    await h.action(
      blockAction({
        container: { message_ts: threadTs, channel_id: 'C1', thread_ts: undefined },
        message: { ts: threadTs, thread_ts: undefined },
        actions: [{ action_id: 'end_session', value: sessionId }],
        response_url: h.slack.responseUrl('end'),
      }),
    );
    await h.slack.waitForResponse((r) => r.name === 'end');
    await h.idle();
    expect(statuses(threadTs)).toEqual([WORKING, '']);
  });

  it('is turned off quietly for the workspace when Slack says the method is not available', async () => {
    h.slack.assistantStatusError = 'not_allowed_token_type';
    const { threadTs } = await h.linkedThread();
    const other = await h.linkedThread();
    await h.poll(0);
    for (let i = 0; i < 3; i += 1) await h.poll(60_000);
    expect(h.slack.callsTo('assistant.threads.setStatus')).toHaveLength(1);
    expect(statuses(threadTs).length + statuses(other.threadTs).length).toBe(1);
    const lines = h.logs.map((l) => JSON.parse(l));
    expect(lines.filter((l) => /loading indicator/.test(l.msg))).toEqual([
      expect.objectContaining({ level: 30, code: 'not_allowed_token_type' }),
    ]);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });
});
