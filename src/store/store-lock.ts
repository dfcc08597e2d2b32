import { randomUUID } from 'node:crypto';
import { KeyedMutex } from '../lib/keyed-mutex';
import type { Lock } from '../relay/ports/leases';
import { type Store, StoreError } from '../relay/ports/store';
import { lockKey } from '../relay/ports/store-keys';

export interface StoreLockOptions {
  /** How long a lock lives if its holder dies. */
  ttlMs?: number;
  /** How long to wait for a lock before giving up. */
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Short critical sections over store keys: serialised inside this process, and, when the store is shared by several
 * replicas (Redis), across them through an atomic claim in the store.
 */
export class StoreLock implements Lock {
  private readonly local = new KeyedMutex();
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly store: Store,
    options: StoreLockOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 15_000;
    this.waitMs = options.waitMs ?? 20_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  run<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(name, async () => {
      if (!this.store.shared) return work();
      const key = lockKey(name);
      const owner = randomUUID();
      const deadline = Date.now() + this.waitMs;
      while (!(await this.store.claim(key, owner, this.ttlMs))) {
        if (Date.now() > deadline) throw new StoreError(`timed out waiting for lock ${name}`, 'lock', key);
        await this.sleep(10 + Math.floor(Math.random() * 20));
      }
      try {
        return await work();
      } finally {
        await this.store.release(key, owner);
      }
    });
  }
}
