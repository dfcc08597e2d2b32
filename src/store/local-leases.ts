import type { Lease, Leases } from '../relay/ports/leases';
import { LEASE_TTL_MS } from './store-leases';

/**
 * Leases for a store only one process uses (SQLite, memory): that process is the only possible holder (the file's lock
 * says so, and leases left in the file are dropped at start), so a lease is a name held in memory, taken and given
 * back without a store call, and firm until it is given back.
 */
export class LocalLeases implements Leases {
  readonly ttlMs = LEASE_TTL_MS;
  private readonly held = new Set<string>();

  async with<T>(name: string, work: (lease: Lease) => Promise<T>): Promise<T | undefined> {
    if (this.held.has(name)) return undefined;
    this.held.add(name);
    let released = false;
    const lease: Lease = {
      ttlMs: this.ttlMs,
      check: async () => !released,
      firm: () => !released,
    };
    try {
      return await work(lease);
    } finally {
      released = true;
      this.held.delete(name);
    }
  }

  /** How many leases are held. */
  get count(): number {
    return this.held.size;
  }

  /** Nothing is kept anywhere but here: shutdown has nothing to give back. */
  async releaseAll(): Promise<void> {}
}
