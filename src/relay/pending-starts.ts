import type { PendingStart } from './model/starts';
import type { Store } from './ports/store';
import { STARTS_INDEX, startKey } from './ports/store-keys';

/**
 * The pending starts in the store: a record per start and an index of when each is next due. The index entry is
 * written before the record and removed after it, so a record is never left where no sweep finds it (an entry without
 * a record is dropped when it comes due).
 */
export class PendingStarts {
  constructor(private readonly store: Store) {}

  get(id: string): Promise<PendingStart | undefined> {
    return this.store.get<PendingStart>(startKey(id));
  }

  /** Records a new start, due at once. */
  async add(start: PendingStart, now: number): Promise<void> {
    await this.store.index(STARTS_INDEX).put(start.id, now);
    await this.store.set(startKey(start.id), start);
  }

  /** Writes how far a start got. */
  async save(start: PendingStart): Promise<PendingStart> {
    await this.store.set(startKey(start.id), start);
    return start;
  }

  /** Saves a start that failed for now, and when it is tried again. */
  async retryAt(start: PendingStart, at: number): Promise<void> {
    await this.save(start);
    await this.store.index(STARTS_INDEX).put(start.id, at);
  }

  async remove(id: string): Promise<void> {
    await this.store.delete(startKey(id));
    await this.store.index(STARTS_INDEX).remove(id);
  }

  /** The ids of the starts due by `at`, soonest first. */
  async due(at: number, limit: number): Promise<string[]> {
    return (await this.store.index(STARTS_INDEX).upTo(at, limit)).map((entry) => entry.member);
  }
}
