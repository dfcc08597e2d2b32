import type { Store } from '../store/store';
import type { StoreLock } from '../store/store-lock';
import type { SessionState } from './session-state';

/** What polling knows of one bound session. */
export interface SessionWatch {
  sessionId: string;
  state?: SessionState;
  /** Devin's own words for the state, for `/devin status`. */
  status?: string;
  title?: string;
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
const INDEX_KEY = 'watch-index';

/** The sessions being polled, and where each one's conversation stands. Finished and expired ones leave the index. */
export class SessionWatches {
  constructor(
    private readonly store: Store,
    private readonly lock: StoreLock,
  ) {}

  get(sessionId: string): Promise<SessionWatch | undefined> {
    return this.store.get<SessionWatch>(watchKey(sessionId));
  }

  async active(): Promise<string[]> {
    return (await this.store.get<string[]>(INDEX_KEY)) ?? [];
  }

  /** Starts watching a session, treating `alreadySeen` messages as handled. Keeps an existing watch. */
  async watch(sessionId: string, now: number, alreadySeen: string[] = []): Promise<void> {
    await this.change(sessionId, (current) =>
      current
        ? { ...current, nextPollAt: now, quietPolls: 0 }
        : { sessionId, seen: alreadySeen.slice(-SEEN_LIMIT), relayed: [], quietPolls: 0, nextPollAt: now },
    );
    await this.index(sessionId, true);
  }

  async unwatch(sessionId: string): Promise<void> {
    await this.index(sessionId, false);
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

  private index(sessionId: string, present: boolean): Promise<void> {
    return this.lock.run(INDEX_KEY, async () => {
      const known = await this.active();
      if (present === known.includes(sessionId)) return;
      await this.store.set(INDEX_KEY, present ? [...known, sessionId] : known.filter((s) => s !== sessionId));
    });
  }
}
