import type { BackoffPolicy } from '../../lib/backoff';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { type Job, Lane } from './lane';
import { type Rate, TokenBucket } from './token-bucket';

export type { Job } from './lane';

/**
 * Slack's rate limits apply per method family, in a scope: reactions, chat.update, chat.postEphemeral, views.publish and
 * assistant.threads.setStatus per workspace, chat.postMessage per channel.
 */
export type MethodFamily =
  | 'reactions'
  | 'chat.update'
  | 'chat.postMessage'
  | 'chat.postEphemeral'
  | 'views.publish'
  | 'assistant.threads.setStatus';

/** A lane: a method family and its scope (a team id, or a channel for chat.postMessage). */
export interface LaneRef {
  family: MethodFamily;
  scope: string;
}

/**
 * Slack's published limits: reactions.add/remove and chat.update are Tier 3 (about 50 a minute per workspace),
 * chat.postMessage about one a second per channel with short bursts, chat.postEphemeral and views.publish Tier 4
 * (about 100 a minute), assistant.threads.setStatus a "special" limit, paced here as Tier 3.
 */
export const SLACK_RATES: Record<MethodFamily, Rate> = {
  reactions: { perMinute: 50, burst: 5 },
  'chat.update': { perMinute: 50, burst: 5 },
  'chat.postMessage': { perMinute: 60, burst: 3 },
  'chat.postEphemeral': { perMinute: 100, burst: 10 },
  // Slack names no tier for it ("special"): paced like Tier 3, which keeps a minute's renewals of 50 threads going.
  'assistant.threads.setStatus': { perMinute: 50, burst: 5 },
  'views.publish': { perMinute: 100, burst: 10 },
};

export interface FeedbackQueueOptions {
  clock: Clock;
  log: Logger;
  /** Per family; `SLACK_RATES` for the ones left out. */
  rates?: Partial<Record<MethodFamily, Rate>>;
  /** Offered jobs that may wait at once; past it the oldest is dropped. */
  maxPending?: number;
  /**
   * Tries of an offered job while Slack fails (network, 5xx...) before it goes to the end of the line (when every call
   * of its lane fails: an outage) or is dropped (when only it fails).
   */
  maxAttempts?: number;
  /** Waits between those tries, per lane (Slack's `Retry-After` wins on a 429). */
  backoff?: BackoffPolicy;
  /** 429 answers a `run` call waits out before it fails. */
  maxRateLimited?: number;
}

/** Lanes kept; beyond this, lanes with nothing to do and a full bucket are forgotten. */
const LANES_KEPT = 1000;

/**
 * Slack feedback (receipts, notices, status edits) queued beside delivery, which never waits on it. Each lane runs its
 * jobs one at a time, in order, paced by its own token bucket; a 429 pauses that lane alone for `Retry-After`, an
 * outage backs it off. `offer` coalesces by key (the latest job for a key runs, in the place of the first);
 * `run` is awaited and keeps its own place, for Devin's messages that must be posted in order.
 */
export class FeedbackQueue {
  private readonly lanes = new Map<string, Lane>();
  /** Pending offered jobs, oldest first: `${lane}\n${key}` -> its lane. */
  private readonly pending = new Map<string, { lane: Lane; key: string }>();
  private idleWaiters: Array<() => void> = [];
  private stopped = false;
  private droppedOnOverflow = 0;

  constructor(private readonly options: FeedbackQueueOptions) {}

  /** Queues `job` under `key` in `lane`; a pending job with the same key is replaced and keeps its place. */
  offer(key: string, lane: LaneRef, job: Job): void {
    if (this.stopped) return;
    const target = this.lane(lane);
    if (target.offer(key, job)) this.track(laneId(lane), target, key);
  }

  /** Sends now in `lane`'s turn and pace, and resolves with Slack's answer; waits out 429s, fails on other errors. */
  run<T>(lane: LaneRef, send: () => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new Error('Slack feedback stopped before this message was posted'));
    return this.lane(lane).run(send);
  }

  /** Jobs waiting or on their way, in all lanes. */
  depth(): number {
    let depth = 0;
    for (const lane of this.lanes.values()) depth += lane.depth;
    return depth;
  }

  /** Offered jobs dropped because too many were waiting. */
  get dropped(): number {
    return this.droppedOnOverflow;
  }

  /**
   * Resolves when no lane has anything waiting or on its way (including waits for `Retry-After` and backoff), or once
   * `stop()` was called.
   */
  idle(): Promise<void> {
    if (this.stopped || this.quiet()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops every waiting job (awaited `run` calls fail) and takes no more; calls already on their way finish. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    let dropped = 0;
    for (const lane of this.lanes.values()) dropped += lane.stop();
    this.pending.clear();
    if (dropped > 0)
      this.options.log.warn({ dropped }, 'Slack feedback stopped; pending reactions and notices dropped');
    this.wakeIdleWaiters();
  }

  private lane(ref: LaneRef): Lane {
    const id = laneId(ref);
    const existing = this.lanes.get(id);
    if (existing) return existing;
    if (this.lanes.size >= LANES_KEPT) this.forgetIdleLanes();
    const { clock, log } = this.options;
    const lane = new Lane({
      name: id,
      clock,
      log,
      bucket: new TokenBucket(clock, this.options.rates?.[ref.family] ?? SLACK_RATES[ref.family]),
      backoff: this.options.backoff ?? { baseMs: 1000, capMs: 30_000 },
      maxAttempts: this.options.maxAttempts ?? 5,
      maxRateLimited: this.options.maxRateLimited ?? 5,
      onTaken: (key) => this.pending.delete(`${id}\n${key}`),
      onRequeued: (key) => this.track(id, lane, key),
      onIdle: () => {
        if (this.quiet()) this.wakeIdleWaiters();
      },
    });
    this.lanes.set(id, lane);
    return lane;
  }

  /** Counts a job waiting in a lane against the cap. */
  private track(id: string, lane: Lane, key: string): void {
    this.pending.set(`${id}\n${key}`, { lane, key });
    if (this.pending.size > (this.options.maxPending ?? 10_000)) this.dropOldest();
  }

  private dropOldest(): void {
    const oldest = this.pending.entries().next();
    if (oldest.done) return;
    const [id, { lane, key }] = oldest.value;
    this.pending.delete(id);
    lane.discard(key);
    this.droppedOnOverflow += 1;
    this.options.log.warn(
      { key, dropped: this.droppedOnOverflow },
      'Slack feedback queue full; the oldest pending reaction, notice or status edit was dropped',
    );
  }

  private forgetIdleLanes(): void {
    for (const [id, lane] of this.lanes) if (lane.rested) this.lanes.delete(id);
  }

  private quiet(): boolean {
    for (const lane of this.lanes.values()) if (lane.busy || lane.depth > 0) return false;
    return true;
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

const laneId = (lane: LaneRef) => `${lane.family}:${lane.scope}`;
