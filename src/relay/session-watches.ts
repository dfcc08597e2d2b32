import type { Store } from '../store/store';
import type { StoreLock } from '../store/store-lock';
import { StoreSet } from '../store/store-set';
import type { SessionState } from './session-state';

/** What polling knows of one bound session. */
export interface SessionWatch {
  sessionId: string;
  state?: SessionState;
  /** Devin's own words for the state, for `/devin status`. */
  status?: string;
  pullRequestUrl?: string;
  /** `event_id`s of session messages already handled (bounded, newest last). */
  seen: string[];
  /** Fingerprints of texts this app sent, so that they are not echoed back into Slack. */
  relayed: string[];
  quietPolls: number;
  nextPollAt: number;
  /** How far the message being posted got (`thread:chunk` keys), so that a retry does not post a chunk twice. */
  partial?: { eventId: string; done: string[] };
  /** Malformed messages seen in the session (each is logged once). */
  malformed?: number;
  /** A reply was held since the session was last seen working. */
  heldWaiting?: boolean;
  lastPolledAt?: number;
}

const SEEN_LIMIT = 2000;
const RELAYED_LIMIT = 500;
const watchKey = (sessionId: string) => `watch:${sessionId}`;

/** The sessions being polled, and where each one's conversation stands. Finished and expired ones leave the index. */
export class SessionWatches {
  private readonly index: StoreSet;

  constructor(
    private readonly store: Store,
    private readonly lock: StoreLock,
  ) {
    this.index = new StoreSet(store, lock, 'watch-index');
  }

  get(sessionId: string): Promise<SessionWatch | undefined> {
    return this.store.get<SessionWatch>(watchKey(sessionId));
  }

  active(): Promise<string[]> {
    return this.index.members();
  }

  /** Starts watching a session, treating `alreadySeen` messages as handled. Keeps an existing watch. */
  async watch(sessionId: string, now: number, alreadySeen: string[] = []): Promise<void> {
    await this.change(sessionId, (current) =>
      current
        ? { ...current, nextPollAt: now, quietPolls: 0 }
        : { sessionId, seen: alreadySeen.slice(-SEEN_LIMIT), relayed: [], quietPolls: 0, nextPollAt: now },
    );
    await this.index.add(sessionId);
  }

  async unwatch(sessionId: string): Promise<void> {
    await this.index.remove(sessionId);
  }

  /** Changes a watch under its lock; nothing happens (undefined) when the session is not watched. */
  async update(sessionId: string, change: (current: SessionWatch) => SessionWatch): Promise<SessionWatch | undefined> {
    let result: SessionWatch | undefined;
    await this.lock.run(watchKey(sessionId), async () => {
      const current = await this.get(sessionId);
      if (!current) return;
      result = change(current);
      await this.save(result);
    });
    return result;
  }

  private change(
    sessionId: string,
    change: (current: SessionWatch | undefined) => SessionWatch,
  ): Promise<SessionWatch> {
    return this.lock.run(watchKey(sessionId), async () => {
      const next = change(await this.get(sessionId));
      await this.save(next);
      return next;
    });
  }

  private async save(watch: SessionWatch): Promise<void> {
    watch.seen = watch.seen.slice(-SEEN_LIMIT);
    watch.relayed = watch.relayed.slice(-RELAYED_LIMIT);
    await this.store.set(watchKey(watch.sessionId), watch);
  }
}
