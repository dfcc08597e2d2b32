import { webApi } from '@slack/bolt';
import { FeedbackQueue, type FeedbackQueueOptions, type LaneRef } from '../../../src/slack/outbound/feedback-queue';
import { captureLog } from '../../support/capture-log';
import { FakeSlack } from '../../support/fake-slack';
import { ManualClock } from '../../support/manual-clock';

const reactionsOf = (team: string): LaneRef => ({ family: 'reactions', scope: team });
const postsIn = (channel: string): LaneRef => ({ family: 'chat.postMessage', scope: `T1:${channel}` });
const updatesOf = (team: string): LaneRef => ({ family: 'chat.update', scope: team });
const slow = { perMinute: 1, burst: 1 };

let slack: FakeSlack;
let client: webApi.WebClient;
let clock: ManualClock;
let logs: ReturnType<typeof captureLog>;
let queue: FeedbackQueue;

function start(options: Partial<FeedbackQueueOptions> = {}): FeedbackQueue {
  queue = new FeedbackQueue({ clock, log: logs.log, ...options });
  return queue;
}

/** Lets virtual time run (Retry-After, backoff, pacing) until the queue has nothing left. */
const settle = () => clock.runUntil(() => queue.idle());

const react =
  (channel: string, timestamp: string, name = 'eyes') =>
  () =>
    client.reactions.add({ channel, timestamp, name }).then(() => undefined);
const post = (channel: string, text: string) => () => client.chat.postMessage({ channel, text });

beforeEach(async () => {
  slack = await FakeSlack.start();
  client = new webApi.WebClient('xoxb-test', {
    slackApiUrl: slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
  clock = new ManualClock();
  logs = captureLog();
});
afterEach(async () => {
  queue?.stop();
  await slack.close();
});

describe('pacing', () => {
  it('paces reactions per workspace: a busy workspace does not hold up another', async () => {
    start({ rates: { reactions: slow } });
    queue.offer('a', reactionsOf('T1'), react('C1', '1.1'));
    queue.offer('b', reactionsOf('T1'), react('C1', '1.2'));
    queue.offer('c', reactionsOf('T2'), react('C9', '9.1'));
    await slack.waitForCount('reactions.add', 2);
    await clock.someoneSleeps();
    expect(slack.callsTo('reactions.add').map((a) => a.timestamp)).toEqual(['1.1', '9.1']);
    expect(clock.sleeps).toEqual([60_000]);
    clock.advance(60_000);
    await queue.idle();
    expect(slack.callsTo('reactions.add').map((a) => a.timestamp)).toEqual(['1.1', '9.1', '1.2']);
  });

  it('paces posts per channel, in order, and resolves each awaited post with its answer', async () => {
    start({ rates: { 'chat.postMessage': slow } });
    const first = queue.run(postsIn('C1'), post('C1', 'one'));
    const second = queue.run(postsIn('C1'), post('C1', 'two'));
    const elsewhere = queue.run(postsIn('C2'), post('C2', 'other'));
    await expect(first).resolves.toMatchObject({ ok: true, channel: 'C1' });
    await expect(elsewhere).resolves.toMatchObject({ ok: true, channel: 'C2' });
    await clock.someoneSleeps();
    expect(slack.callsTo('chat.postMessage').map((a) => a.text)).toEqual(['one', 'other']);
    clock.advance(60_000);
    await expect(second).resolves.toMatchObject({ ok: true });
    expect(slack.callsTo('chat.postMessage').map((a) => a.text)).toEqual(['one', 'other', 'two']);
  });
});

describe('coalescing', () => {
  it('runs only the latest job of a key, in the place of the first', async () => {
    start({ rates: { reactions: slow } });
    queue.offer('a', reactionsOf('T1'), react('C1', '1.1'));
    queue.offer('b', reactionsOf('T1'), react('C1', '1.2', 'first'));
    queue.offer('c', reactionsOf('T1'), react('C1', '1.3'));
    queue.offer('b', reactionsOf('T1'), react('C1', '1.2', 'latest'));
    expect(queue.depth()).toBe(3);
    await settle();
    expect(slack.callsTo('reactions.add').map((a) => `${a.timestamp} ${a.name}`)).toEqual([
      '1.1 eyes',
      '1.2 latest',
      '1.3 eyes',
    ]);
  });
});

describe('rate limits', () => {
  it('pauses only the lane Slack answered 429 for Retry-After, then sends the latest job of that key', async () => {
    start();
    slack.throttle('reactions.add', 30);
    queue.offer('receipt', reactionsOf('T1'), react('C1', '1.1', 'hourglass_flowing_sand'));
    await slack.waitForCount('reactions.add', 1);
    await clock.someoneSleeps();
    expect(clock.sleeps).toEqual([30_000]);

    queue.offer('receipt', reactionsOf('T1'), react('C1', '1.1', 'white_check_mark'));
    queue.offer('status', updatesOf('T1'), async () => {
      await client.chat.update({ channel: 'C1', ts: '1.0', text: 'working' });
    });
    await expect(queue.run(postsIn('C1'), post('C1', 'Devin says hi'))).resolves.toMatchObject({ ok: true });
    await slack.waitForCount('chat.update', 1);
    expect(slack.callsTo('reactions.add')).toHaveLength(1);
    expect(logs.warnings()).toEqual([expect.stringMatching(/rate-limited/)]);

    slack.unthrottle('reactions.add');
    clock.advance(30_000);
    await settle();
    expect(
      slack.calls.filter((c) => c.method === 'reactions.add').map((c) => [c.args.name, c.failed ?? false]),
    ).toEqual([
      ['hourglass_flowing_sand', true],
      ['white_check_mark', false],
    ]);
  });

  it('fails an awaited post after the 429s it may wait out', async () => {
    start({ maxRateLimited: 2 });
    slack.throttle('chat.postMessage', 1);
    const posting = queue.run(postsIn('C1'), post('C1', 'hello'));
    const outcome = posting.then(
      () => 'posted',
      (error: { code?: string }) => error.code,
    );
    await settle();
    await expect(outcome).resolves.toBe('slack_webapi_rate_limited_error');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
  });
});

describe('outages', () => {
  it('keeps an offered job through a long outage, backing off, and shows it once Slack is back', async () => {
    start({ maxAttempts: 3, backoff: { baseMs: 1000, capMs: 30_000 } });
    slack.down();
    queue.offer('a', reactionsOf('T1'), react('C1', '1.1'));
    for (let i = 0; i < 12; i += 1) {
      await clock.someoneSleeps();
      clock.wakeNext();
    }
    expect(slack.callsTo('reactions.add').length).toBeGreaterThan(3);
    expect(logs.warnings().filter((w) => /dropped/.test(w))).toEqual([]);
    expect(queue.depth()).toBe(1);
    slack.up();
    await settle();
    expect(slack.calls.filter((c) => c.method === 'reactions.add' && !c.failed)).toHaveLength(1);
    expect(queue.depth()).toBe(0);
  });

  it('drops, with one warning, a job that keeps failing while the rest of its lane goes through', async () => {
    start({ maxAttempts: 3, backoff: { baseMs: 1000, capMs: 30_000 } });
    slack.setHandler('reactions.add', (args) => (args.channel === 'CBAD' ? { status: 503, body: 'busy' } : undefined));
    queue.offer('bad', reactionsOf('T1'), react('CBAD', '1.1'));
    queue.offer('good', reactionsOf('T1'), react('C1', '1.2'));
    await settle();
    expect(slack.callsTo('reactions.add').filter((a) => a.channel === 'CBAD')).toHaveLength(4);
    expect(slack.calls.filter((c) => c.method === 'reactions.add' && c.args.channel === 'C1')).toHaveLength(1);
    expect(logs.warnings()).toEqual([expect.stringMatching(/dropped/)]);
    expect(queue.depth()).toBe(0);
  });

  it('fails an awaited post at once, so its caller decides, and backs off the lane for the next one', async () => {
    start();
    slack.down();
    await expect(queue.run(postsIn('C1'), post('C1', 'lost'))).rejects.toMatchObject({ statusCode: 503 });
    slack.up();
    const next = queue.run(postsIn('C1'), post('C1', 'after'));
    await clock.someoneSleeps();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(clock.sleeps).toEqual([500]);
    clock.wakeNext();
    await expect(next).resolves.toMatchObject({ ok: true });
  });

  it('drops a job Slack refuses for good without retrying it', async () => {
    start();
    slack.setHandler('reactions.add', () => ({ ok: false, error: 'channel_not_found' }));
    queue.offer('a', reactionsOf('T1'), react('C404', '1.1'));
    await settle();
    expect(slack.callsTo('reactions.add')).toHaveLength(1);
    expect(logs.warnings()).toEqual([expect.stringMatching(/dropped/)]);
  });
});

describe('bounds', () => {
  it('drops the oldest pending job past the cap, with a warning, and counts it', async () => {
    start({ maxPending: 3, maxAttempts: 100 });
    slack.down();
    queue.offer('running', reactionsOf('T1'), react('C1', '1.0'));
    await slack.waitForCount('reactions.add', 1);
    for (const ts of ['1.1', '1.2', '1.3', '1.4', '1.5']) queue.offer(ts, reactionsOf('T1'), react('C1', ts));
    expect(queue.depth()).toBe(4);
    expect(queue.dropped).toBe(2);
    expect(logs.warnings().filter((m) => /queue full/.test(m))).toHaveLength(2);
    slack.up();
    await settle();
    const sent = slack.calls.filter((c) => c.method === 'reactions.add' && !c.failed).map((c) => c.args.timestamp);
    expect(sent).toEqual(['1.0', '1.3', '1.4', '1.5']);
  });

  it('stops: waiting jobs are dropped, awaited posts fail, idle resolves', async () => {
    start({ rates: { 'chat.postMessage': slow } });
    await queue.run(postsIn('C1'), post('C1', 'first'));
    const waiting = queue.run(postsIn('C1'), post('C1', 'second'));
    queue.offer('tell', postsIn('C1'), async () => {
      await post('C1', 'never')();
    });
    queue.stop();
    await expect(waiting).rejects.toThrow(/stopped/);
    await expect(queue.idle()).resolves.toBeUndefined();
    expect(slack.callsTo('chat.postMessage').map((a) => a.text)).toEqual(['first']);
  });
});
