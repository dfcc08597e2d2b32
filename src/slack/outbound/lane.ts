import { type BackoffPolicy, backoffDelay } from '../../lib/backoff';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { slackFailure } from './slack-failure';
import type { TokenBucket } from './token-bucket';

/**
 * A piece of Slack work. The lane takes one token before it starts; a job that makes more than one call awaits
 * `paced()` before each further call, so every call counts against the lane's rate.
 */
export type Job = (paced: () => Promise<void>) => Promise<void>;

interface Offered {
  kind: 'offered';
  key: string;
  job: Job;
  /** A newer job for the same key, offered while this one was on its way. */
  newer?: Job;
  attempts: number;
}

interface Awaited {
  kind: 'run';
  send: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  rateLimited: number;
}

type Entry = Offered | Awaited;

export interface LaneOptions {
  name: string;
  clock: Clock;
  log: Logger;
  bucket: TokenBucket;
  backoff: BackoffPolicy;
  /** Tries of an offered job in a row while Slack fails (network, 5xx...); see `settle`. */
  maxAttempts: number;
  /** 429 answers a `run` call waits out before it fails. */
  maxRateLimited: number;
  /** An offered job left the line (to run, or dropped): it no longer counts as pending. */
  onTaken: (key: string) => void;
  /** An offered job went back to the end of the line (Slack is down): it counts as pending again. */
  onRequeued: (key: string) => void;
  /** The lane ran out of work. */
  onIdle: () => void;
}

/** One Slack method family in one scope (a workspace or a channel): one call at a time, first in first out. */
export class Lane {
  private readonly waiting = new Map<string, Entry>();
  private current: Entry | undefined;
  private draining = false;
  private stopped = false;
  private failures = 0;
  private runs = 0;

  constructor(private readonly options: LaneOptions) {}

  /** Jobs waiting or on their way. */
  get depth(): number {
    return this.waiting.size + (this.current ? 1 : 0);
  }

  get busy(): boolean {
    return this.draining;
  }

  /** Nothing to do and nothing remembered: forgetting this lane changes nothing. */
  get rested(): boolean {
    return !this.draining && this.waiting.size === 0 && this.options.bucket.rested;
  }

  /** Queues `job` under `key`; true when it took a new place in line, false when it replaced a pending job. */
  offer(key: string, job: Job): boolean {
    if (this.current?.kind === 'offered' && this.current.key === key) {
      this.current.newer = job;
      return false;
    }
    const pending = this.waiting.get(key);
    if (pending?.kind === 'offered') {
      pending.job = job;
      return false;
    }
    this.waiting.set(key, { kind: 'offered', key, job, attempts: 0 });
    this.start();
    return true;
  }

  run<T>(send: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.runs += 1;
      const entry: Awaited = { kind: 'run', send, resolve: resolve as (v: unknown) => void, reject, rateLimited: 0 };
      this.waiting.set(`run:${this.runs}`, entry);
      this.start();
    });
  }

  /** Drops a pending offered job; false when it is not waiting (already running, or unknown). */
  discard(key: string): boolean {
    if (this.waiting.get(key)?.kind !== 'offered') return false;
    this.waiting.delete(key);
    return true;
  }

  /** Drops what waits (a `run` caller gets an error); a call already on its way finishes. Returns the jobs dropped. */
  stop(): number {
    this.stopped = true;
    let dropped = 0;
    for (const entry of this.waiting.values()) {
      if (entry.kind === 'run') entry.reject(new Error('Slack feedback stopped before this message was posted'));
      else dropped += 1;
    }
    this.waiting.clear();
    return dropped;
  }

  /** Starts draining on the next microtask, so that what is offered in the same turn is coalesced first. */
  private start(): void {
    if (this.draining || this.stopped) return;
    this.draining = true;
    queueMicrotask(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      for (let entry = this.take(); entry; entry = this.take()) {
        this.current = entry;
        await this.settle(entry);
        this.current = undefined;
      }
    } finally {
      this.current = undefined;
      this.draining = false;
      this.options.onIdle();
    }
  }

  private requeue(entry: Offered): void {
    const job = entry.newer ?? entry.job;
    delete entry.newer;
    this.waiting.set(entry.key, { ...entry, job });
    this.options.onRequeued(entry.key);
  }

  private take(): Entry | undefined {
    if (this.stopped) return undefined;
    const first = this.waiting.entries().next();
    if (first.done) return undefined;
    const [key, entry] = first.value;
    this.waiting.delete(key);
    if (entry.kind === 'offered') this.options.onTaken(key);
    return entry;
  }

  /** Sends one entry until it succeeds, fails for good, or runs out of tries. */
  private async settle(entry: Entry): Promise<void> {
    const { bucket, clock, log, name } = this.options;
    const paced = () => bucket.take();
    for (;;) {
      await bucket.take();
      if (this.stopped && entry.kind === 'offered') return;
      if (entry.kind === 'offered' && entry.newer) {
        entry.job = entry.newer;
        delete entry.newer;
      }
      try {
        if (entry.kind === 'run') {
          entry.resolve(await entry.send());
          this.failures = 0;
          return;
        }
        await entry.job(paced);
        this.failures = 0;
        if (entry.newer) continue;
        return;
      } catch (error) {
        const failure = slackFailure(error);
        if (failure.kind === 'rate-limited') {
          bucket.pause(failure.retryAfterMs);
          log.warn(
            { lane: name, retry_after_ms: failure.retryAfterMs },
            'Slack rate-limited a lane; it waits, the others go on',
          );
          if (entry.kind === 'offered') continue;
          entry.rateLimited += 1;
          if (entry.rateLimited <= this.options.maxRateLimited) continue;
          entry.reject(error);
          return;
        }
        if (failure.kind === 'outage') {
          this.failures += 1;
          bucket.pause(backoffDelay(this.failures - 1, clock.random(), undefined, this.options.backoff));
        }
        if (entry.kind === 'run') {
          entry.reject(error);
          return;
        }
        entry.attempts += 1;
        if (failure.kind === 'outage') {
          if (entry.attempts < this.options.maxAttempts) continue;
          // Every call of the lane has failed since this job's first try: Slack is down, not this job. Its latest
          // state waits at the end of the line (bounded by the queue's cap) instead of being lost.
          if (this.failures >= entry.attempts) {
            this.requeue(entry);
            return;
          }
        }
        log.warn(
          { lane: name, key: entry.key, attempts: entry.attempts, err: error },
          'Slack feedback dropped: a reaction, notice or status edit was not shown',
        );
        return;
      }
    }
  }
}
