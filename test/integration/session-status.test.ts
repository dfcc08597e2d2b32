import { STATE_LABEL } from '../../src/slack/views/state-label';
import type { FakeSession } from '../support/fake-devin';
import { Harness } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const LONG_MS = 10 * 60_000;
const PR_URL = 'https://github.com/acme/app/pull/7';
const relayed = (text: string) => `Alice (@alice, U1) via Slack: ${text}`;

function session(sessionId: string): FakeSession {
  const found = h.devin.sessions.get(sessionId);
  if (!found) throw new Error(`no fake session ${sessionId}`);
  return found;
}

function setStatus(sessionId: string, statusEnum: string | null, status: string | null = 'running'): void {
  Object.assign(session(sessionId), { status_enum: statusEnum, status });
}

const devinSays = (sessionId: string, eventId: string, message: string) => h.devin.say(sessionId, eventId, message);

const gets = (sessionId: string) =>
  h.devin.requests.filter((r) => r.method === 'GET' && r.path === `/v1/sessions/${sessionId}`).length;

/** Texts of the chat.update calls on the thread's root message (the link root), in order. */
const rootUpdates = (threadTs: string) => h.rootUpdates(threadTs);

/** Texts the app posted in the thread, in order. */
const threadPosts = (threadTs: string) =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((a) => a.thread_ts === threadTs)
    .map((a) => String(a.text));

const reply = (threadTs: string, text: string) => h.reply(threadTs, text);

const reactions = (ts: string) => h.reactions(ts);

/** The paused notice is the one with a Resend button. */
const hasResend = (args: { blocks?: Array<{ elements?: Array<{ action_id?: string }> }> }) =>
  (args.blocks ?? []).some((b) => b.elements?.some((e) => e.action_id === 'resend_held'));

const warnings = (msg: string) =>
  h.logs.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40 && entry.msg === msg);
const errors = () => h.logs.map((line) => JSON.parse(line)).filter((entry) => entry.level >= 50);

async function status(sessionId: string, name: string): Promise<string> {
  await h.command(`status ${sessionId}`, { response_url: h.slack.responseUrl(name) });
  return String((await h.slack.waitForResponse((r) => r.name === name)).body.text);
}

describe('the root message', () => {
  it('shows each state of the session in place, with the pull request link once there is one', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const header = String(h.slack.callsTo('chat.postMessage')[0]?.text).split('\n*Status:*')[0];
    const steps: Array<[string, string]> = [
      ['working', STATE_LABEL.working],
      ['blocked', STATE_LABEL.waiting],
      ['suspend_requested', STATE_LABEL.asleep],
      ['resumed', STATE_LABEL.working],
    ];
    for (const [statusEnum] of steps) {
      setStatus(sessionId, statusEnum);
      await h.poll(LONG_MS);
    }
    setStatus(sessionId, 'finished', 'finished');
    session(sessionId).pull_request = { url: PR_URL };
    await h.poll(LONG_MS);

    expect(rootUpdates(threadTs)).toEqual([
      ...steps.map(([, label]) => `${header}\n*Status:* ${label}`),
      `${header}\n*Status:* ${STATE_LABEL.finished} · <${PR_URL}|pull request>`,
    ]);
    const posts = threadPosts(threadTs);
    expect(posts).toHaveLength(3);
    expect(posts[0]).toContain('waiting for your reply');
    expect(posts[1]).toContain('is asleep');
    expect(posts[1]).toContain('Replies here are held');
    expect(posts[2]).toContain('Devin finished');
    expect(posts[2]).toContain(`Pull request: <${PR_URL}>`);
  });

  it('tells the thread when the session expires, and stops polling it', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const other = await h.linkedThread();
    await h.poll(0);
    setStatus(sessionId, 'expired', 'expired');
    await h.poll(LONG_MS);
    const seen = gets(sessionId);
    const otherSeen = gets(other.sessionId);
    for (let i = 0; i < 3; i += 1) await h.poll(LONG_MS);

    expect(gets(other.sessionId)).toBeGreaterThanOrEqual(otherSeen + 3);
    expect(gets(sessionId)).toBe(seen);
    expect(rootUpdates(threadTs).at(-1)).toMatch(new RegExp(`\\*Status:\\* ${STATE_LABEL.expired}$`));
    const posts = threadPosts(threadTs);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain('expired');
  });

  it('stops polling a finished session after the poll that saw it finish', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const other = await h.linkedThread();
    await h.poll(0);
    setStatus(sessionId, 'finished', 'finished');
    await h.poll(LONG_MS);
    const seen = gets(sessionId);
    const otherSeen = gets(other.sessionId);
    devinSays(sessionId, 'late-1', 'said after the end');
    devinSays(other.sessionId, 'other-1', 'still going');
    for (let i = 0; i < 3; i += 1) await h.poll(LONG_MS);

    expect(threadPosts(other.threadTs)).toEqual(['still going']);
    expect(gets(other.sessionId)).toBeGreaterThanOrEqual(otherSeen + 3);
    expect(gets(sessionId)).toBe(seen);
    expect(threadPosts(threadTs).filter((t) => t.includes('said after the end'))).toEqual([]);
  });

  it('watches a finished session again when a reply in its thread reaches Devin, so the answer arrives', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    setStatus(sessionId, 'finished', 'finished');
    await h.poll(LONG_MS);
    const stopped = gets(sessionId);
    await h.poll(LONG_MS);
    expect(gets(sessionId)).toBe(stopped);

    await reply(threadTs, 'one more thing: update the changelog');
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    setStatus(sessionId, 'working');
    devinSays(sessionId, 'after-1', 'Changelog updated.');
    await h.poll(LONG_MS);
    expect(threadPosts(threadTs)).toContain('Changelog updated.');
    expect(rootUpdates(threadTs).at(-1)).toContain(STATE_LABEL.working);
  });

  it('tells the thread once when Devin no longer knows the session, and stops polling it', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const other = await h.linkedThread();
    await h.poll(0);
    h.devin.sessions.delete(sessionId);
    await h.poll(LONG_MS);
    const seen = gets(sessionId);
    const otherSeen = gets(other.sessionId);
    for (let i = 0; i < 3; i += 1) await h.poll(LONG_MS);

    expect(gets(other.sessionId)).toBeGreaterThanOrEqual(otherSeen + 3);
    expect(gets(sessionId)).toBe(seen);
    const posts = threadPosts(threadTs);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain('no longer exists');
  });

  it('logs and skips unknown or missing states without stopping, and shows the next known state', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    const before = rootUpdates(threadTs).length;

    setStatus(sessionId, 'levitating', 'levitating');
    devinSays(sessionId, 'ev-1', 'still here');
    await h.poll(LONG_MS);
    expect(warnings('unknown session status; kept the last known state')).toHaveLength(1);

    Object.assign(session(sessionId), { status_enum: null, status: null, title: null, messages: undefined });
    await h.poll(LONG_MS);
    expect(warnings('unknown session status; kept the last known state')).toHaveLength(2);

    Object.assign(session(sessionId), { status: 'running', title: 'Back', messages: [] });
    setStatus(sessionId, 'blocked');
    devinSays(sessionId, 'ev-2', 'which database?');
    await h.poll(LONG_MS);

    expect(rootUpdates(threadTs).slice(before)).toEqual([expect.stringMatching(/\*Status:\* :speech_balloon:/)]);
    const posts = threadPosts(threadTs);
    expect(posts[0]).toBe('still here');
    expect(posts.slice(1)).toEqual(['which database?', expect.stringContaining('waiting for your reply')]);
    expect(errors()).toEqual([]);
  });
});

describe('held replies', () => {
  it.each([
    ['while the app saw the session asleep', true],
    ['when the app never saw the session asleep', false],
  ])('are delivered in order, once, when the session wakes %s', async (_, pollWhileAsleep) => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    h.devin.pause(sessionId);
    setStatus(sessionId, 'suspend_requested', 'suspended');
    if (pollWhileAsleep) await h.poll(LONG_MS);
    const first = await reply(threadTs, 'first');
    await h.slack.waitFor('reactions.add', (a) => a.timestamp === first && a.name === 'double_vertical_bar');
    const second = await reply(threadTs, 'second');
    await h.slack.waitFor('reactions.add', (a) => a.timestamp === second && a.name === 'double_vertical_bar');
    await h.idle();
    const paused = h.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts === threadTs && hasResend(c.args),
    );
    expect(paused).toHaveLength(1);
    expect(h.devin.delivered(sessionId)).toEqual([]);

    h.devin.resume(sessionId);
    setStatus(sessionId, 'working');
    await h.poll(LONG_MS);
    await h.poll(LONG_MS);

    expect(h.devin.delivered(sessionId)).toEqual([relayed('first'), relayed('second')]);
    for (const ts of [first, second]) {
      expect(reactions(ts)).toEqual(['+double_vertical_bar', '-double_vertical_bar', '+white_check_mark']);
    }
    const noticeTs = paused[0]?.answer?.ts;
    const closing = h.slack
      .callsTo('chat.update')
      .filter((a) => a.ts === noticeTs)
      .at(-1);
    expect(closing?.text).toContain('Delivered 2 held messages');
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage' && hasResend(c.args))).toHaveLength(1);
    expect(threadPosts(threadTs).filter((t) => t.includes('first') || t.includes('second'))).toEqual([]);
  });
});

describe('/devin status', () => {
  it('shows when the session was last checked and how many replies are held', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    expect(await status(sessionId, 'before')).toContain('Last checked: not yet');

    h.devin.pause(sessionId);
    const from = h.clock.now();
    await h.poll(0);
    const to = h.clock.now();
    for (const text of ['one', 'two']) {
      const ts = await reply(threadTs, text);
      await h.slack.waitFor('reactions.add', (a) => a.timestamp === ts && a.name === 'double_vertical_bar');
    }
    await h.idle();

    const text = await status(sessionId, 'after');
    expect(text).toContain('(held while asleep: 2, failed: 0)');
    const checked = /Last checked: <!date\^(\d+)\^[^|]*\|([^>]+)>/.exec(text);
    expect(checked).not.toBeNull();
    const at = Date.parse(checked?.[2] ?? '');
    expect(at).toBeGreaterThanOrEqual(from);
    expect(at).toBeLessThanOrEqual(to);
    expect(Number(checked?.[1])).toBe(Math.floor(at / 1000));
  });
});
