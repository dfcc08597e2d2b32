import type { SortedIndex, Store } from './ports/store';
import { POLL_DUE_INDEX } from './ports/store-keys';

/**
 * When each watched session is next due, ordered by time (a Redis sorted set, an indexed SQLite table), so that a
 * poller tick reads only the sessions that are due. Finished and expired sessions are not in it.
 */
export class PollDue {
  private readonly index: SortedIndex;

  constructor(store: Store) {
    this.index = store.index(POLL_DUE_INDEX);
  }

  /** The sessions due at `now`, earliest first, with the time each one was due. */
  async due(now: number, limit: number): Promise<Array<{ sessionId: string; dueAt: number }>> {
    return (await this.index.upTo(now, limit)).map((row) => ({ sessionId: row.member, dueAt: row.score }));
  }

  /** Every scheduled session, due or not, at most `limit` of them. */
  async scheduled(limit: number): Promise<string[]> {
    return (await this.index.upTo(Number.MAX_SAFE_INTEGER, limit)).map((row) => row.member);
  }

  dueAt(sessionId: string): Promise<number | undefined> {
    return this.index.score(sessionId);
  }

  /** Due at `at`, whenever it was due before. */
  set(sessionId: string, at: number): Promise<void> {
    return this.index.put(sessionId, at);
  }

  /** Due at `at` at the latest ("look again soon"); adds a session that was not scheduled. One write. */
  soon(sessionId: string, at: number): Promise<void> {
    return this.index.lower(sessionId, at);
  }

  /** Due at `at` unless it was asked for sooner since it was set to `placeholder` (then the sooner time stays). */
  settle(sessionId: string, placeholder: number, at: number): Promise<void> {
    return this.index.replace(sessionId, placeholder, at);
  }

  remove(sessionId: string): Promise<void> {
    return this.index.remove(sessionId);
  }
}
