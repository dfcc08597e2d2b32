import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { RepeatedFailure } from '../lib/repeated-failure';
import type { PollDue } from './poll-due';
import type { ChangedSession, DevinApi } from './ports/devin';
import { DevinApiError } from './ports/devin-errors';
import type { Leases } from './ports/leases';
import type { RelayMetrics } from './ports/relay-metrics';
import type { Store } from './ports/store';
import { FEED_LEASE_NAME, FEED_MARK_KEY } from './ports/store-keys';

/** Where the feed stands, shared by the replicas through the store. */
export interface FeedMark {
  /** The newest change Devin listed, by Devin's own clock (ms since the epoch): never compared with ours. */
  mark?: number;
  /** When a replica last read the feed, by its clock: the others skip their round until the interval has passed. */
  readAt?: number;
  /** Devin answered 429: no replica reads the feed before then (by the clock of the replica told, as `readAt`). */
  pausedUntil?: number;
}

export interface ChangeFeedDeps {
  devin: Required<Pick<DevinApi, 'listChangedSessions'>>;
  store: Store;
  /** The schedule of the watched sessions (every replica's): a changed one is made due now. */
  schedule: PollDue;
  /** One replica reads the feed at a time. */
  leases: Leases;
  clock: Clock;
  log: Logger;
  /** How often the feed is read. */
  intervalMs: number;
  /** How far before the mark each read starts, by Devin's clock, for changes Devin lists late. */
  overlapMs?: number;
  /** The most pages one round reads; past them, every watched session is read once instead. */
  maxPages?: number;
  metrics?: RelayMetrics;
}

const DEFAULT_OVERLAP_MS = 10_000;
const DEFAULT_MAX_PAGES = 10;
/** The most sessions a catch-up (after a round that could not list every change) makes due. */
const CATCH_UP_LIMIT = 100_000;

/**
 * Devin's side on v3, at a cost that grows with news rather than with sessions: each round, one list of the sessions
 * that changed since the mark (minus an overlap) finds the watched ones that changed, and makes them due in the
 * schedule, where the poller reads them under their leases (whichever replica watches them). The mark is Devin's own
 * `updated_at`, kept in the store. A session listed twice with the same `updated_at` is read once more, on the next
 * round (a change in the same second as the first read keeps the same `updated_at`), then not again until it changes;
 * a change the list does not show is found by the session's safety poll.
 */
export class ChangeFeed {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly failures: RepeatedFailure;
  /** What this replica read of each listed session: Devin's `updated_at`, and whether it was read again after it. */
  private readonly seen = new Map<string, { at: number; confirmed: boolean }>();

  constructor(private readonly deps: ChangeFeedDeps) {
    this.failures = new RepeatedFailure(deps.log, 'a round of the change feed');
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /**
   * One round (never rejects: a failure is logged and the next round tries again). Skipped while another replica read
   * the feed less than an interval ago, unless `force`d. Overlapping calls share one round.
   */
  tick({ force = false }: { force?: boolean } = {}): Promise<void> {
    this.ticking ??= this.deps.leases
      .with(FEED_LEASE_NAME, () => this.round(force))
      .then(
        (outcome) => {
          this.deps.metrics?.feedRounds?.inc({ outcome: outcome ?? 'skipped' });
          this.failures.succeeded();
        },
        (error: unknown) => {
          this.deps.metrics?.feedRounds?.inc({ outcome: 'failed' });
          this.failures.failed(error);
        },
      )
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  private async round(force: boolean): Promise<'read' | 'skipped'> {
    const { store, clock, devin, intervalMs } = this.deps;
    const now = clock.now();
    const stored = (await store.get<FeedMark>(FEED_MARK_KEY)) ?? {};
    if (!force && stored.readAt !== undefined && now - stored.readAt >= 0 && now - stored.readAt < intervalMs * 0.8) {
      return 'skipped';
    }
    // Devin asked to wait (429 with Retry-After): every replica waits, even a forced round.
    if (stored.pausedUntil !== undefined && now < stored.pausedUntil) return 'skipped';
    const overlapMs = this.deps.overlapMs ?? DEFAULT_OVERLAP_MS;
    const after = stored.mark === undefined ? undefined : stored.mark - overlapMs;
    let listed: Awaited<ReturnType<typeof devin.listChangedSessions>>;
    try {
      listed = await devin.listChangedSessions(after, this.deps.maxPages ?? DEFAULT_MAX_PAGES);
    } catch (error) {
      if (error instanceof DevinApiError && error.status === 429) {
        const waitMs = error.retryAfterMs ?? 60_000;
        const { pausedUntil: _, ...rest } = stored;
        await store.set(FEED_MARK_KEY, { ...rest, readAt: now, pausedUntil: now + waitMs });
        this.deps.log.warn({ retry_after_ms: waitMs }, "Devin's API asked the change feed to wait; it will");
      }
      throw error;
    }
    let due = 0;
    for (const changed of listed.sessions) {
      if (this.changedSinceRead(changed) && (await this.makeDue(changed.sessionId, now))) due += 1;
    }
    if (!listed.complete && after !== undefined) due += await this.catchUp(now);
    const newest = Math.max(stored.mark ?? Number.NEGATIVE_INFINITY, ...listed.sessions.map((s) => s.updatedAt));
    await store.set(FEED_MARK_KEY, { ...(Number.isFinite(newest) ? { mark: newest } : {}), readAt: now });
    this.forgetBefore(newest - overlapMs);
    const fields = { listed: listed.sessions.length, due, ...(after === undefined ? { first_round: true } : {}) };
    if (due > 0) this.deps.log.debug(fields, 'the change feed found sessions that changed');
    return 'read';
  }

  /** Whether the listed change is one this replica has not read yet (or read once in its own second). */
  private changedSinceRead({ sessionId, updatedAt }: ChangedSession): boolean {
    const seen = this.seen.get(sessionId);
    if (!seen || updatedAt > seen.at) {
      this.seen.set(sessionId, { at: updatedAt, confirmed: false });
      return true;
    }
    if (updatedAt === seen.at && !seen.confirmed) {
      seen.confirmed = true;
      return true;
    }
    return false;
  }

  /** A watched session (one in the schedule) due now; false for a session nobody watches. */
  private async makeDue(sessionId: string, now: number): Promise<boolean> {
    const { schedule, metrics } = this.deps;
    if ((await schedule.dueAt(sessionId)) === undefined) return false;
    await schedule.soon(sessionId, now);
    metrics?.feedChanged?.inc();
    return true;
  }

  /** More changed than one round reads (a long outage): every watched session is read once, and the mark moves on. */
  private async catchUp(now: number): Promise<number> {
    const sessions = await this.deps.schedule.scheduled(CATCH_UP_LIMIT);
    for (const sessionId of sessions) await this.deps.schedule.soon(sessionId, now);
    this.deps.log.warn(
      { sessions: sessions.length },
      'more sessions changed than the change feed reads in a round; reading every watched session once',
    );
    return sessions.length;
  }

  /** Changes older than the overlap are not listed again: what was seen of them is forgotten. */
  private forgetBefore(at: number): void {
    for (const [sessionId, seen] of this.seen) if (seen.at < at) this.seen.delete(sessionId);
  }
}
