import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { bounded } from '../lib/bounded';

/** How a reply's delivery ended, as counted: the outcomes of delivery, and a reply whose author may not steer. */
export type RelayOutcome = 'delivered' | 'held' | 'failed' | 'gone' | 'rejected' | 'refused' | 'limited' | 'withdrawn';

/** What the gauges read when Prometheus scrapes: each source is asked then, never kept up to date in between. */
export interface MetricSources {
  /** Replies waiting for Devin, by state (from the store: right across replicas and restarts). */
  replies?: () => Promise<{ queued: number; held: number; failed: number }>;
  /** Reactions, notices and posts waiting for Slack in this process. */
  feedbackDepth?: () => number;
  /** Watched sessions by their last known status (from the store). */
  watched?: () => Promise<Record<string, number>>;
}

const PREFIX = 'devin_slack_';
/** Devin and the store answer in milliseconds to seconds; a delivery may take the whole retry window. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STORE_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];
/** A session's gauge reads the store: a scrape that finds it down or slow answers the other metrics at once. */
const SOURCE_WAIT_MS = 2000;

/**
 * The app's Prometheus metrics, in a registry of its own (several apps can run in one process, as tests do). Label
 * values come from small fixed sets (outcomes, endpoints, Slack method names, store operations): never a session,
 * user or channel id, so the number of series stays bounded however many threads there are.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly repliesReceived = this.counter('replies_received_total', 'Replies received from Slack', ['source']);
  readonly repliesRelayed = this.counter('replies_relayed_total', 'Replies that reached an outcome', ['outcome']);
  readonly repliesDeduplicated = this.counter(
    'replies_deduplicated_total',
    'Copies of messages already received, dropped (Slack retries, the second event of a mention)',
    ['kind'],
  );
  readonly deliveryAttempts = this.counter('delivery_attempts_total', 'Messages sent to Devin, retries included');
  readonly deliveryRetries = this.counter('delivery_retries_total', 'Attempts that failed and were tried again');
  readonly deliveryLag = new Histogram({
    name: `${PREFIX}delivery_lag_seconds`,
    help: 'From a reply reaching the app to Devin accepting it',
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });
  readonly devinRequests = new Histogram({
    name: `${PREFIX}devin_request_duration_seconds`,
    help: "Requests to Devin's API, by endpoint and answer class (2xx, 4xx, 5xx, network, timeout)",
    labelNames: ['endpoint', 'status_class'],
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  readonly slackCalls = this.counter(
    'slack_api_calls_total',
    "Calls to Slack's Web API, by method and outcome (ok, error, rate_limited, http_error, network_error)",
    ['method', 'outcome'],
  );
  readonly polls = this.counter('polls_total', "Polls of Devin's sessions, by outcome (news, quiet, failed, gone)", [
    'outcome',
  ]);
  readonly feedRounds = this.counter(
    'feed_rounds_total',
    'Rounds of the change feed (v3), by outcome (read, skipped: another replica read it lately, failed)',
    ['outcome'],
  );
  readonly feedChanged = this.counter(
    'feed_changed_sessions_total',
    'Watched sessions the change feed (v3) found changed, and asked to be read',
  );
  readonly pollLag = new Histogram({
    name: `${PREFIX}poll_lag_seconds`,
    help: 'How late a poll ran after the session was due',
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });
  readonly storeOperations = new Histogram({
    name: `${PREFIX}store_operation_duration_seconds`,
    help: 'Store operations, by operation',
    labelNames: ['operation'],
    buckets: STORE_BUCKETS,
    registers: [this.registry],
  });
  readonly storeErrors = this.counter('store_errors_total', 'Store operations that failed, by operation', [
    'operation',
  ]);

  private readonly build = new Gauge({
    name: `${PREFIX}build_info`,
    help: "Which build runs: the app's version, Node's, and the Devin API it speaks (always 1)",
    labelNames: ['version', 'node_version', 'devin_api_version'],
    registers: [this.registry],
  });

  readonly peerUp = new Gauge({
    name: `${PREFIX}peer_up`,
    help: "Whether a peer works for the app (1) or it runs degraded without it (0): devin (Devin's API accepts the key), slack (Slack's Web API answers and accepted the bot token)",
    labelNames: ['peer'],
    registers: [this.registry],
  });

  private sources: MetricSources = {};

  constructor() {
    // Node's own metrics keep their standard names (`process_*`, `nodejs_*`), as stock dashboards expect them.
    collectDefaultMetrics({ register: this.registry });
    const sources = () => this.sources;
    // One read of the store serves a scrape's three states.
    const counts = sharedRead(() => read(sources().replies));
    new Gauge({
      name: `${PREFIX}replies_pending`,
      help: 'Replies not yet with Devin, in the store, by state: queued for delivery, held (session asleep), failed (waiting for Resend)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const known = await counts();
        if (!known) return;
        for (const state of ['queued', 'held', 'failed'] as const) this.set({ state }, known[state]);
      },
    });
    new Gauge({
      name: `${PREFIX}feedback_queue_depth`,
      help: 'Reactions, notices and posts waiting for Slack in this process',
      registers: [this.registry],
      collect() {
        const depth = sources().feedbackDepth?.();
        if (depth !== undefined) this.set(depth);
      },
    });
    new Gauge({
      name: `${PREFIX}watched_sessions`,
      help: 'Sessions being polled, by their last known status',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const byStatus = await read(sources().watched);
        if (!byStatus) return;
        this.reset();
        for (const [status, count] of Object.entries(byStatus)) this.set({ status }, count);
      },
    });
  }

  /** Says which build runs, once the Devin API version is known. */
  describeBuild(build: { version: string; devinApiVersion: string }): void {
    this.build.reset();
    this.build.set(
      { version: build.version, node_version: process.version, devin_api_version: build.devinApiVersion },
      1,
    );
  }

  /** What the gauges read at each scrape (set once, when the app is wired). */
  readFrom(sources: MetricSources): void {
    this.sources = sources;
  }

  /** Times one request to Devin: `endpoint` is its path pattern, never the path itself. */
  devinRequest(endpoint: string, statusClass: string, seconds: number): void {
    this.devinRequests.observe({ endpoint, status_class: statusClass }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> {
    return new Counter({ name: `${PREFIX}${name}`, help, labelNames, registers: [this.registry] });
  }
}

function read<T>(source: (() => Promise<T>) | undefined): Promise<T | undefined> {
  if (!source) return Promise.resolve(undefined);
  return bounded(
    SOURCE_WAIT_MS,
    source().catch(() => undefined),
    () => undefined,
  );
}

/** One read shared by the calls made while it is in flight (the collectors of one scrape). */
function sharedRead<T>(work: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | undefined;
  return () => {
    current ??= work().finally(() => {
      current = undefined;
    });
    return current;
  };
}
