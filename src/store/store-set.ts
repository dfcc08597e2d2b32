import type { Store } from './store';
import type { StoreLock } from './store-lock';

/** A small set of ids kept under one store key (the sessions with waiting replies, the sessions being polled). */
export class StoreSet {
  constructor(
    private readonly store: Store,
    private readonly lock: StoreLock,
    private readonly key: string,
  ) {}

  async members(): Promise<string[]> {
    return (await this.store.get<string[]>(this.key)) ?? [];
  }

  add(id: string): Promise<void> {
    return this.change(id, true);
  }

  /** Removes `id`, unless `keep()` (checked under the lock) says it is still needed. */
  remove(id: string, keep?: () => Promise<boolean>): Promise<void> {
    return this.change(id, false, keep);
  }

  private change(id: string, present: boolean, keep?: () => Promise<boolean>): Promise<void> {
    return this.lock.run(this.key, async () => {
      const known = await this.members();
      if (present === known.includes(id)) return;
      if (!present && keep && (await keep())) return;
      await this.store.set(this.key, present ? [...known, id] : known.filter((member) => member !== id));
    });
  }
}
