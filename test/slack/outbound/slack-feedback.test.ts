import { webApi } from '@slack/bolt';
import type { Notice } from '../../../src/relay/model/notices';
import type { Binding, MessageRef, ThreadRef } from '../../../src/relay/model/threads';
import type { Store } from '../../../src/relay/ports/store';
import { FeedbackQueue, type FeedbackQueueOptions } from '../../../src/slack/outbound/feedback-queue';
import { SlackFeedback } from '../../../src/slack/outbound/slack-feedback';
import { createStore } from '../../../src/store/create-store';
import { captureLog } from '../../support/capture-log';
import { FakeSlack } from '../../support/fake-slack';
import { ManualClock } from '../../support/manual-clock';

const thread: ThreadRef = { team: 'T1', channel: 'C1', threadTs: '1700000000.000100' };
const message = (ts: string, team = 'T1'): MessageRef => ({ team, channel: 'C1', ts });
const paused = (held: number): Notice => ({
  kind: 'paused',
  sessionId: 'devin-1',
  sessionUrl: 'https://app.devin.ai/sessions/1',
  detail: 'asleep',
  held,
});
const delivered: Notice = {
  kind: 'held-delivered',
  sessionId: 'devin-1',
  sessionUrl: 'https://app.devin.ai/sessions/1',
  count: 2,
};
const binding: Binding = {
  ...thread,
  sessionId: 'devin-1',
  sessionUrl: 'https://app.devin.ai/sessions/1',
  boundAt: 0,
  statusTs: '1700000000.000100',
  statusHeader: 'Devin is on it',
};

let slack: FakeSlack;
let clock: ManualClock;
let store: Store;
let queue: FeedbackQueue;
let feedback: SlackFeedback;
let logged: ReturnType<typeof captureLog>['lines'];

function start(options: Partial<FeedbackQueueOptions> = {}): void {
  const client = new webApi.WebClient('xoxb-test', {
    slackApiUrl: slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
  const { log, lines } = captureLog();
  queue = new FeedbackQueue({ clock, log, ...options });
  logged = lines;
  feedback = new SlackFeedback({ client, queue, store, log, now: () => clock.now() });
}

const settle = () => clock.runUntil(() => queue.idle());

/** The reaction calls, as `add name ts` / `remove name ts`, leaving out the ones Slack did not answer. */
const reactionCalls = () =>
  slack.calls
    .filter((c) => c.method.startsWith('reactions.') && !c.failed)
    .map((c) => `${c.method.slice('reactions.'.length)} ${c.args.name} ${c.args.timestamp}`);

beforeEach(async () => {
  slack = await FakeSlack.start();
  clock = new ManualClock();
  store = await createStore('memory://');
  start();
});
afterEach(async () => {
  queue.stop();
  await store.close();
  await slack.close();
});

describe('receipts', () => {
  it('sends only the check when a reply was delivered before its hourglass went out', async () => {
    feedback.receipt(message('1.1'), 'retrying');
    feedback.receipt(message('1.1'), 'delivered');
    await settle();
    expect(reactionCalls()).toEqual(['add white_check_mark 1.1']);
  });

  it('removes a shown hourglass, then adds the check', async () => {
    feedback.receipt(message('1.1'), 'retrying');
    await settle();
    feedback.receipt(message('1.1'), 'delivered');
    await settle();
    expect(reactionCalls()).toEqual([
      'add hourglass_flowing_sand 1.1',
      'remove hourglass_flowing_sand 1.1',
      'add white_check_mark 1.1',
    ]);
  });

  it('removes a receipt an earlier run may have left, and takes Slack answering no_reaction in its stride', async () => {
    slack.setHandler('reactions.remove', (args) =>
      args.name === 'warning' ? { ok: false, error: 'no_reaction' } : undefined,
    );
    feedback.receipt(message('1.1'), 'delivered', ['retrying', 'failed', 'delivered']);
    await settle();
    expect(reactionCalls().sort()).toEqual([
      'add white_check_mark 1.1',
      'remove hourglass_flowing_sand 1.1',
      'remove warning 1.1',
    ]);
    expect(reactionCalls().at(-1)).toBe('add white_check_mark 1.1');
  });

  it('waits out a 429 on reactions while posts and status edits go on', async () => {
    slack.throttle('reactions.add', 20);
    feedback.receipt(message('1.1'), 'retrying');
    await slack.waitForCount('reactions.add', 1);
    feedback.receipt(message('1.1'), 'delivered');
    feedback.status(binding, { state: 'working' });
    await feedback.postInThread(thread, 'Devin: on it');
    feedback.tell(thread, { kind: 'muted' });
    await slack.waitForCount('chat.update', 1);
    await slack.waitForCount('chat.postMessage', 2);
    expect(reactionCalls()).toEqual([]);
    slack.unthrottle('reactions.add');
    await settle();
    expect(reactionCalls()).toEqual(['add white_check_mark 1.1']);
  });

  it('stays bounded through a long outage and shows the latest state of each message afterwards', async () => {
    start({ maxAttempts: 1000, maxPending: 50 });
    slack.down();
    const messages = Array.from({ length: 30 }, (_, i) => message(`2.${String(i + 1).padStart(3, '0')}`));
    let deepest = 0;
    for (const round of ['retrying', 'held', 'retrying', 'delivered'] as const) {
      for (const m of messages) feedback.receipt(m, round);
      deepest = Math.max(deepest, queue.depth());
      for (let i = 0; i < 5; i += 1) {
        await clock.someoneSleeps();
        clock.wakeNext();
        deepest = Math.max(deepest, queue.depth());
      }
    }
    expect(deepest).toBe(messages.length);
    expect(queue.dropped).toBe(0);
    slack.up();
    await settle();
    expect(reactionCalls().sort()).toEqual(messages.map((m) => `add white_check_mark ${m.ts}`).sort());
  });
});

describe('notices', () => {
  it('posts a notice updated twice before it went out once, with the latest words', async () => {
    feedback.openNotice(thread, paused(1));
    feedback.openNotice(thread, paused(2));
    await settle();
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      channel: 'C1',
      thread_ts: thread.threadTs,
      text: expect.stringMatching(/2 messages/),
    });
    await expect(store.get(`notice:T1:C1:${thread.threadTs}`)).resolves.toMatchObject({ kind: 'paused' });
  });

  it('sends nothing when a notice is opened and resolved before it went out', async () => {
    feedback.openNotice(thread, paused(1));
    feedback.resolveNotice(thread, delivered);
    await settle();
    expect(slack.calls).toEqual([]);
    await expect(store.get(`notice:T1:C1:${thread.threadTs}`)).resolves.toBeUndefined();
  });

  it('updates the open notice in place, then rewrites and closes it', async () => {
    feedback.openNotice(thread, paused(1));
    await settle();
    const ts =
      slack.callsTo('chat.postMessage')[0] && (await store.get<{ ts: string }>(`notice:T1:C1:${thread.threadTs}`))?.ts;
    feedback.openNotice(thread, paused(3));
    await settle();
    feedback.resolveNotice(thread, delivered);
    await settle();
    feedback.resolveNotice(thread, delivered);
    await settle();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('chat.update').map((a) => [a.ts, a.text])).toEqual([
      [ts, expect.stringMatching(/3 messages/)],
      [ts, expect.stringMatching(/Delivered 2 held messages/)],
    ]);
    await expect(store.get(`notice:T1:C1:${thread.threadTs}`)).resolves.toBeUndefined();
  });

  it('posts a new notice when the open one was deleted', async () => {
    feedback.openNotice(thread, paused(1));
    await settle();
    slack.setHandler('chat.update', () => ({ ok: false, error: 'message_not_found' }));
    feedback.openNotice(thread, paused(2));
    await settle();
    expect(slack.callsTo('chat.postMessage').map((a) => a.text)).toEqual([
      expect.stringMatching(/1 message /),
      expect.stringMatching(/2 messages/),
    ]);
  });

  it("keeps one-off notices in order with Devin's messages in the channel", async () => {
    feedback.tell(thread, { kind: 'muted' });
    await feedback.postInThread(thread, 'Devin: first');
    feedback.tell(thread, { kind: 'unmuted', skipped: 0, sessionUrl: 'https://app.devin.ai/sessions/1' });
    const second = feedback.postInThread(thread, 'Devin: second');
    await settle();
    await second;
    expect(slack.callsTo('chat.postMessage').map((a) => a.text)).toEqual([
      expect.stringMatching(/^:mute: Muted/),
      'Devin: first',
      expect.stringMatching(/^:loud_sound: Unmuted/),
      'Devin: second',
    ]);
  });
});

describe('status', () => {
  it('edits the root message once with the latest state', async () => {
    feedback.status(binding, { state: 'working' });
    feedback.status(binding, { state: 'waiting' });
    feedback.status({ ...binding, statusTs: undefined }, { state: 'asleep' });
    await settle();
    expect(slack.callsTo('chat.update')).toEqual([
      expect.objectContaining({
        channel: 'C1',
        ts: binding.statusTs,
        text: 'Devin is on it\n*Status:* :speech_balloon: waiting for you',
      }),
    ]);
  });
});

describe('the loading indicator', () => {
  const statuses = () => slack.callsTo('assistant.threads.setStatus').map((a) => a.status);

  it('is set in the thread while Devin works, renewed only once it is 45 s old, and cleared', async () => {
    feedback.working(thread, true);
    await settle();
    expect(slack.callsTo('assistant.threads.setStatus')).toEqual([
      { channel_id: 'C1', thread_ts: thread.threadTs, status: 'Devin is working...' },
    ]);
    clock.advance(30_000);
    feedback.working(thread, true);
    await settle();
    expect(statuses()).toHaveLength(1);
    clock.advance(15_000);
    feedback.working(thread, true);
    feedback.working(thread, false);
    feedback.working(thread, false);
    await settle();
    // The renewal and the clear were waiting together: only the latest state was sent.
    expect(statuses()).toEqual(['Devin is working...', '']);
  });

  it('is set again at once after the app posted in the thread (which clears it)', async () => {
    feedback.working(thread, true);
    await settle();
    await feedback.postInThread(thread, 'Devin: progress');
    feedback.working(thread, true);
    await settle();
    expect(statuses()).toEqual(['Devin is working...', 'Devin is working...']);
  });

  it('is not cleared where it was never set', async () => {
    feedback.working(thread, false);
    await settle();
    expect(statuses()).toEqual([]);
  });

  it('is turned off for a workspace where Slack says the method is not available, with one line in the log', async () => {
    slack.assistantStatusError = 'not_allowed_token_type';
    feedback.working(thread, true);
    await settle();
    for (let i = 0; i < 3; i += 1) {
      clock.advance(60_000);
      feedback.working(thread, true);
      feedback.working({ ...thread, threadTs: `1700000000.00020${i}` }, true);
      await settle();
    }
    // Another workspace still gets it.
    slack.assistantStatusError = undefined;
    feedback.working({ ...thread, team: 'T2' }, true);
    await settle();
    expect(slack.callsTo('assistant.threads.setStatus').map((a) => a.thread_ts)).toEqual([
      thread.threadTs,
      thread.threadTs,
    ]);
    expect(slack.calls.filter((c) => c.method === 'assistant.threads.setStatus').map((c) => c.answer?.ok)).toEqual([
      false,
      true,
    ]);
    expect(logged.filter((e) => e.level >= 30 && /loading indicator/.test(String(e.msg)))).toEqual([
      expect.objectContaining({ level: 30, team_id: 'T1', code: 'not_allowed_token_type' }),
    ]);
  });

  it('stays on for a workspace when Slack refuses it in one thread only', async () => {
    slack.failNext('assistant.threads.setStatus', { body: { ok: false, error: 'channel_not_found' } });
    feedback.working(thread, true);
    await settle();
    feedback.working({ ...thread, threadTs: '1700000000.000300' }, true);
    await settle();
    expect(statuses()).toHaveLength(2);
  });

  it('waits out a 429 and then shows the latest state', async () => {
    slack.failNext('assistant.threads.setStatus', {
      status: 429,
      headers: { 'Retry-After': '2' },
      body: { ok: false, error: 'ratelimited' },
    });
    feedback.working(thread, true);
    await settle();
    expect(slack.calls.filter((c) => c.method === 'assistant.threads.setStatus' && !c.failed)).toHaveLength(1);
  });
});
