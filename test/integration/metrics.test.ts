import { APP_VERSION } from '../../src/ops/app-version';
import { FlakyStore } from '../support/flaky-store';
import { Harness } from '../support/harness';
import { Scrape } from '../support/scrape';
import { appMentionEvent, threadReply } from '../support/slack-signing';

const MESSAGE_PATH = '/v1/sessions/:id/message';
const SEND = { endpoint: 'POST /v1/sessions/:id/message' };
const M = (name: string) => `devin_slack_${name}`;

let h: Harness;
afterEach(() => h?.close());

const scrape = () => Scrape.of(h.baseUrl);

describe('/metrics', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it('serves the process metrics and every metric of the bridge, in Prometheus text format', async () => {
    const res = await fetch(`${h.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const scraped = Scrape.parse(await res.text());
    const names = scraped.names();
    // Node's own metrics under their standard names, as stock Node.js dashboards query them.
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds'])
      expect(names).toContain(name);
    expect([...names].filter((name) => /^devin_slack_(process|nodejs)_/.test(name))).toEqual([]);
    for (const name of ['replies_pending', 'feedback_queue_depth', 'build_info']) expect(names).toContain(M(name));
    expect(scraped.series(M('replies_pending')).map((labels) => labels.state)).toEqual(['queued', 'held', 'failed']);
    const text = Scrape.parse(await (await fetch(`${h.baseUrl}/metrics`)).text()).text;
    for (const name of [
      'replies_received_total',
      'replies_relayed_total',
      'replies_deduplicated_total',
      'delivery_attempts_total',
      'delivery_retries_total',
      'delivery_lag_seconds',
      'devin_request_duration_seconds',
      'slack_api_calls_total',
      'polls_total',
      'poll_lag_seconds',
      'watched_sessions',
      'store_operation_duration_seconds',
      'store_errors_total',
    ])
      expect(text).toContain(`# TYPE ${M(name)} `);
  });

  it('says which build runs: the version, Node and the Devin API, in devin_slack_build_info', async () => {
    const scraped = await scrape();
    expect(scraped.series(M('build_info'))).toEqual([
      { version: APP_VERSION, node_version: process.version, devin_api_version: 'v1' },
    ]);
    expect(APP_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(
      scraped.value(M('build_info'), { version: APP_VERSION, node_version: process.version, devin_api_version: 'v1' }),
    ).toBe(1);
  });

  it('counts a delivered reply: received, attempted, relayed, its lag, the request to Devin and the receipt', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const before = await scrape();
    const ts = await h.reply(threadTs, 'ship it');
    await h.waitForReaction(ts, 'white_check_mark');
    await h.idle();
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) =>
      after.value(M(name), labels) - before.value(M(name), labels);

    expect(moved('replies_received_total', { source: 'thread' })).toBe(1);
    expect(moved('delivery_attempts_total')).toBe(1);
    expect(moved('delivery_retries_total')).toBe(0);
    expect(moved('replies_relayed_total', { outcome: 'delivered' })).toBe(1);
    expect(moved('delivery_lag_seconds_count')).toBe(1);
    expect(moved('devin_request_duration_seconds_count', { ...SEND, status_class: '2xx' })).toBe(1);
    expect(moved('slack_api_calls_total', { method: 'reactions.add', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(moved('store_operation_duration_seconds_count', { operation: 'queue.record' })).toBe(1);
    expect(after.value(M('replies_pending'), { state: 'queued' })).toBe(0);
    // Bounded labels: no session, user, channel or message id is ever a label value.
    for (const id of [sessionId, sessionId.replace(/^devin-/, ''), 'U1', 'C1', ts, threadTs])
      expect(after.text).not.toContain(`"${id}"`);
  });

  it('counts a retry, and the 5xx that caused it', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [{ status: 503, body: { detail: 'busy' } }]);
    await h.reply(threadTs, 'again');
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    const after = await scrape();
    expect(after.value(M('delivery_attempts_total'))).toBe(2);
    expect(after.value(M('delivery_retries_total'))).toBe(1);
    expect(after.value(M('devin_request_duration_seconds_count'), { ...SEND, status_class: '5xx' })).toBe(1);
    expect(after.value(M('devin_request_duration_seconds_count'), { ...SEND, status_class: '2xx' })).toBe(1);
    expect(after.value(M('replies_relayed_total'), { outcome: 'delivered' })).toBe(1);
  });

  it('counts the calls Slack answered 429, by method', async () => {
    const { threadTs } = await h.linkedThread();
    h.slack.throttle('reactions.add', 1);
    const ts = await h.reply(threadTs, 'slow receipts');
    await h.slack.waitFor('reactions.add', (a) => a.timestamp === ts);
    const throttled = await scrape();
    expect(
      throttled.value(M('slack_api_calls_total'), { method: 'reactions.add', outcome: 'rate_limited' }),
    ).toBeGreaterThanOrEqual(1);
    expect(throttled.value(M('slack_api_calls_total'), { method: 'reactions.add', outcome: 'ok' })).toBe(0);
    expect(throttled.value(M('feedback_queue_depth'))).toBeGreaterThanOrEqual(1);
    h.slack.unthrottle('reactions.add');
    await h.waitForReaction(ts, 'white_check_mark');
    await h.idle();
    const after = await scrape();
    expect(after.value(M('slack_api_calls_total'), { method: 'reactions.add', outcome: 'ok' })).toBe(1);
    expect(after.value(M('feedback_queue_depth'))).toBe(0);
  });

  it('counts a redelivered event by its event id, and the second event of a mention by its message', async () => {
    const { threadTs } = await h.linkedThread();
    const payload = threadReply(threadTs, 'once please');
    await h.event(payload);
    await h.event(payload, { retryNum: 1, retryReason: 'http_timeout' });
    // A mention in a bound thread is a reply, and Slack sends it twice: as `message` and as `app_mention`.
    const mention = threadReply(threadTs, '<@UBOT> and this');
    await h.event(mention);
    await h.event(appMentionEvent({ ts: mention.event.ts, thread_ts: threadTs, text: '<@UBOT> and this' }));
    await h.idle();
    const after = await scrape();
    expect(after.value(M('replies_received_total'), { source: 'thread' })).toBe(4);
    expect(after.value(M('replies_deduplicated_total'), { kind: 'event_id' })).toBe(1);
    expect(after.value(M('replies_deduplicated_total'), { kind: 'message' })).toBe(1);
    expect(after.value(M('replies_relayed_total'), { outcome: 'delivered' })).toBe(2);
  });

  it('shows held replies in the gauges until the session wakes, and counts them held', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    const first = await h.reply(threadTs, 'one');
    await h.waitForReaction(first, 'double_vertical_bar');
    await h.reply(threadTs, 'two');
    await h.idle();
    const held = await scrape();
    expect(held.value(M('replies_pending'), { state: 'held' })).toBe(2);
    expect(held.value(M('replies_pending'), { state: 'queued' })).toBe(0);
    // Each time a reply is held counts: the second reply gave the first another try, and both were held.
    expect(held.value(M('replies_relayed_total'), { outcome: 'held' })).toBe(3);

    h.devin.resume(sessionId);
    await h.reply(threadTs, 'three');
    await h.devin.waitForDelivered(sessionId, 3);
    await h.idle();
    const after = await scrape();
    for (const state of ['queued', 'held', 'failed']) expect(after.value(M('replies_pending'), { state })).toBe(0);
    expect(after.value(M('replies_relayed_total'), { outcome: 'delivered' })).toBe(3);
  });

  it('counts polls by outcome, how late they ran, and the watched sessions by status', async () => {
    const { sessionId } = await h.linkedThread();
    const watched = await scrape();
    expect(watched.value(M('watched_sessions'), { status: 'unknown' })).toBe(1);
    await h.poll();
    h.devin.say(sessionId, 'evt-1', 'Looking into it now.');
    await h.poll(60_000);
    await h.poll(60_000);
    const after = await scrape();
    expect(after.value(M('polls_total'), { outcome: 'news' })).toBeGreaterThanOrEqual(1);
    expect(after.value(M('polls_total'), { outcome: 'quiet' })).toBeGreaterThanOrEqual(1);
    expect(after.value(M('poll_lag_seconds_count'))).toBe(
      after.value(M('polls_total'), { outcome: 'news' }) + after.value(M('polls_total'), { outcome: 'quiet' }),
    );
    expect(after.value(M('watched_sessions'), { status: 'working' })).toBe(1);
    expect(after.value(M('watched_sessions'), { status: 'unknown' })).toBe(0);
    expect(
      after.value(M('devin_request_duration_seconds_count'), { endpoint: 'GET /v1/sessions/:id', status_class: '2xx' }),
    ).toBeGreaterThanOrEqual(3);
  });

  it('counts a failed poll and a Devin answer that never came', async () => {
    const { sessionId } = await h.linkedThread();
    h.devin.script('GET', `/v1/sessions/${sessionId}`, [{ status: 502 }]);
    await h.poll();
    const after = await scrape();
    expect(after.value(M('polls_total'), { outcome: 'failed' })).toBe(1);
    expect(
      after.value(M('devin_request_duration_seconds_count'), { endpoint: 'GET /v1/sessions/:id', status_class: '5xx' }),
    ).toBe(1);
  });
});

describe('/metrics of a store that fails', () => {
  it('counts the store operations that failed, by operation', async () => {
    let flaky: FlakyStore | undefined;
    h = await Harness.start({
      wrapStore: (store) => {
        flaky = new FlakyStore(store);
        return flaky;
      },
    });
    const { threadTs } = await h.linkedThread();
    flaky?.failNext('get', 'thread:');
    const res = await h.event(threadReply(threadTs, 'lost for now'));
    expect(res.status).toBe(500);
    const after = await scrape();
    expect(after.value(M('store_errors_total'), { operation: 'store.get' })).toBe(1);
    expect(after.value(M('store_operation_duration_seconds_count'), { operation: 'store.get' })).toBeGreaterThan(1);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const TOKEN = 'metrics-token-5b7e2a91c4d3';
  beforeEach(async () => {
    h = await Harness.start({ env: { METRICS_TOKEN: TOKEN } });
  });

  it('answers 401 without the token or with another, and the metrics with it', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong-token-of-some-length' },
      { authorization: TOKEN },
    ]) {
      const res = await fetch(`${h.baseUrl}/metrics`, { headers });
      expect(res.status).toBe(401);
      const body = await res.text();
      expect(body).not.toContain('devin_slack_');
      expect(body).not.toContain(TOKEN);
    }
    const scraped = await Scrape.of(h.baseUrl, TOKEN);
    expect(scraped.names()).toContain(M('replies_pending'));
    // The health routes stay open: a load balancer has no token.
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});
