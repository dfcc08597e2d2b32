import { LastWritten } from '../lib/last-written';
import type { Logger } from '../lib/logger';
import { convertLegacyWatch, isLegacyWatch, type StoredWatch } from './legacy-watch';
import type { PollMark, SessionWatch } from './model/session-watch';
import { PollDue } from './poll-due';
import type { Store } from './ports/store';
import { heldWaitingKey, LEGACY_WATCH_INDEX, lastSteererKey, watchKey } from './ports/store-keys';
import type { PostProgress } from './post-progress';
import type { RelayedTexts } from './relayed-texts';

/** The last steerer of a session is written again for the same person only this long after. */
const STEERER_AGAIN_MS = 60_000;

export interface SessionWatchesDeps {
  store: Store;
  relayed: RelayedTexts;
  progress: PostProgress;
  log: Logger;
}

/**
 * The sessions being polled and where each one's conversation stands. The watch record is written by the poll that
 * holds the session's lease (and once, when the session is first watched); the schedule, the relayed texts, the
 * progress of a message being posted and the held flag live beside it, so that the delivery side never rewrites it.
 */
export class SessionWatches {
  readonly schedule: PollDue;
  /** The last steerer this process wrote per session, and when. */
  private readonly steerers = new LastWritten(STEERER_AGAIN_MS);

  constructor(private readonly deps: SessionWatchesDeps) {
    this.schedule = new PollDue(deps.store);
  }

  /** The watch, as the current version sees it (an earlier version's record converted, not yet rewritten). */
  async get(sessionId: string): Promise<SessionWatch | undefined> {
    const record = await this.deps.store.get<StoredWatch>(watchKey(sessionId));
    return record && isLegacyWatch(record) ? convertLegacyWatch(record).watch : record;
  }

  /**
   * The watch for the poll that holds the session's lease. An earlier version's record is converted once: its
   * relayed texts, message progress and held flag move to their own keys, and the record is rewritten.
   */
  async forPoll(sessionId: string): Promise<SessionWatch | undefined> {
    const record = await this.deps.store.get<StoredWatch>(watchKey(sessionId));
    if (!record || !isLegacyWatch(record)) return record;
    const { watch, moved } = convertLegacyWatch(record);
    if (moved.relayed) await this.deps.relayed.restore(sessionId, moved.relayed);
    if (moved.partial) await this.deps.progress.record(sessionId, moved.partial);
    if (moved.heldWaiting) await this.holdWaiting(sessionId);
    await this.save(watch);
    this.deps.log.info({ session_id: sessionId }, 'converted a watch record written by an earlier version');
    return watch;
  }

  /** Starts watching a session, after the `handled` mark if it is new; an existing watch is kept and polled now. */
  async watch(sessionId: string, now: number, handled?: PollMark): Promise<void> {
    if (!(await this.deps.store.get(watchKey(sessionId)))) {
      await this.save({ sessionId, ...(handled ? { mark: handled } : {}), quietPolls: 0, nextPollAt: now });
    }
    await this.schedule.soon(sessionId, now);
  }

  async unwatch(sessionId: string): Promise<void> {
    await this.schedule.remove(sessionId);
  }

  /** Only the poll holding the session's lease calls this. */
  async save(watch: SessionWatch): Promise<void> {
    await this.deps.store.set(watchKey(watch.sessionId), watch);
  }

  /** Words sent into the session (a reply, a prompt) that it will list: they are not posted back into Slack. */
  async expectEcho(sessionId: string, text: string): Promise<void> {
    await this.deps.relayed.add(sessionId, text);
  }

  /** A reply was held: the next poll that finds the session working sends it. */
  async holdWaiting(sessionId: string): Promise<void> {
    await this.deps.store.set(heldWaitingKey(sessionId), true);
  }

  async heldWaiting(sessionId: string): Promise<boolean> {
    return (await this.deps.store.get<boolean>(heldWaitingKey(sessionId))) === true;
  }

  async clearHeld(sessionId: string): Promise<void> {
    await this.deps.store.delete(heldWaitingKey(sessionId));
  }

  /**
   * Whose reply reached the session last. The same person steering again within a minute is not written again (a
   * burst of their replies costs one write); another replica's writes meanwhile stand for at most that minute.
   */
  async steeredBy(sessionId: string, userId: string, now = Date.now()): Promise<void> {
    if (this.steerers.fresh(sessionId, userId, now)) return;
    await this.deps.store.set(lastSteererKey(sessionId), userId);
    this.steerers.wrote(sessionId, userId, now);
  }

  async lastSteerer(sessionId: string): Promise<string | undefined> {
    return this.deps.store.get<string>(lastSteererKey(sessionId));
  }

  /**
   * The watched sessions by their last known state (`unknown` before their first poll), for metrics: reads every
   * watch in the schedule, at most `limit`, a few at a time.
   */
  async countByState(limit = 10_000): Promise<Record<string, number>> {
    const sessions = await this.schedule.scheduled(limit);
    const counts: Record<string, number> = {};
    for (let i = 0; i < sessions.length; i += 50) {
      const watches = await Promise.all(sessions.slice(i, i + 50).map((id) => this.get(id)));
      for (const watch of watches) {
        const state = watch?.state ?? 'unknown';
        counts[state] = (counts[state] ?? 0) + 1;
      }
    }
    return counts;
  }

  /** Earlier versions listed the watched sessions under one key: put them in the schedule, due now, once. */
  async upgradeSchedule(now: number): Promise<void> {
    const listed = await this.deps.store.get<string[]>(LEGACY_WATCH_INDEX);
    if (!listed) return;
    for (const sessionId of listed) await this.schedule.soon(sessionId, now);
    await this.deps.store.delete(LEGACY_WATCH_INDEX);
    this.deps.log.info({ sessions: listed.length }, 'moved the watched sessions into the poll schedule');
  }
}
