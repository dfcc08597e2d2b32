import { randomUUID } from 'node:crypto';
import type { Lease, Leases } from '../relay/ports/leases';
import type { Store } from '../relay/ports/store';
import { leaseKey } from '../relay/ports/store-keys';

/** How long a lease outlives a holder that stopped renewing it (it died, or it is paused). */
export const LEASE_TTL_MS = 10_000;

export interface LeaseTimers {
  /** Real time: leases are about processes that die or stall, whatever the domain's clock says. */
  now(): number;
  /** Calls `work` every `ms` until the returned function is called. */
  every(ms: number, work: () => void): () => void;
}

const realTimers: LeaseTimers = {
  now: () => Date.now(),
  every: (ms, work) => {
    const timer = setInterval(work, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

export interface LeasesOptions {
  ttlMs?: number;
  timers?: LeaseTimers;
  /** Told once when a held lease could not be renewed (it lapsed, another holder has it, or the store failed). */
  onLost?: (key: string, reason: string) => void;
}

/**
 * Short leases in the store that live only as long as their holder: each is renewed in the background every third of
 * its time to live, so a holder that dies or stalls loses it within `ttlMs`, and another replica (or the next start)
 * takes the work over. A holder checks its lease before each step that must not run twice at once (`check`, `firm`).
 */
export class StoreLeases implements Leases {
  readonly owner = randomUUID();
  readonly ttlMs: number;
  readonly timers: LeaseTimers;
  private readonly held = new Set<StoreLease>();

  constructor(
    readonly store: Store,
    private readonly options: LeasesOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS;
    this.timers = options.timers ?? realTimers;
  }

  /** Takes `lease:<name>`; undefined while another holder has it. */
  async take(name: string): Promise<StoreLease | undefined> {
    const key = leaseKey(name);
    const takenAt = this.timers.now();
    if (!(await this.store.claim(key, this.owner, this.ttlMs))) return undefined;
    const lease = new StoreLease(key, this, takenAt, (lostBecause) => {
      this.held.delete(lease);
      if (lostBecause) this.options.onLost?.(key, lostBecause);
    });
    this.held.add(lease);
    return lease;
  }

  /** Runs `work` under the lease `name`; undefined (and `work` not run) while another holder has it. */
  async with<T>(name: string, work: (lease: StoreLease) => Promise<T>): Promise<T | undefined> {
    const lease = await this.take(name);
    if (!lease) return undefined;
    try {
      return await work(lease);
    } finally {
      await lease.release();
    }
  }

  /** How many leases this process holds. */
  get count(): number {
    return this.held.size;
  }

  /** Gives back every lease this process holds (shutdown: the next start or another replica takes over at once). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.held].map((lease) => lease.release()));
  }
}

/** One held lease, renewed in the background until it is released or lost. */
export class StoreLease implements Lease {
  /** Until when the store keeps it for this holder: its last renewal, counted from before the renewal was asked. */
  private validUntil: number;
  private lost = false;
  private released = false;
  private readonly stopRenewing: () => void;

  constructor(
    readonly key: string,
    private readonly leases: StoreLeases,
    takenAt: number,
    /** Told once when the lease ends: released (no reason), or lost (why). */
    private readonly ended: (lostBecause?: string) => void,
  ) {
    this.validUntil = takenAt + leases.ttlMs;
    this.stopRenewing = leases.timers.every(Math.floor(leases.ttlMs / 3), () => void this.check());
  }

  get ttlMs(): number {
    return this.leases.ttlMs;
  }

  /**
   * Fencing: renews the lease and resolves true while this holder still has it, so the next step runs while no one
   * else can hold it; false once it is lost (another holder has it, or it lapsed), and the holder must stop. When the
   * store cannot be reached the lease is still this holder's until it would lapse.
   */
  async check(): Promise<boolean> {
    if (this.lost || this.released) return false;
    const { store, owner, ttlMs, timers } = this.leases;
    const asked = timers.now();
    try {
      if (await store.renew(this.key, owner, ttlMs)) {
        this.validUntil = Math.max(this.validUntil, asked + ttlMs);
        return true;
      }
      this.lose('another holder has it, or it lapsed');
    } catch (error) {
      if (timers.now() >= this.validUntil) this.lose(error instanceof Error ? error.message : String(error));
    }
    return this.firm(0);
  }

  /**
   * True when the lease is still this holder's for at least `marginMs` more by this process's own clock, without
   * asking the store: the last look before a request that two holders must never both send.
   */
  firm(marginMs: number): boolean {
    return !this.lost && !this.released && this.leases.timers.now() + marginMs < this.validUntil;
  }

  /** Gives the lease back (unless it was lost); a store failure here only means it lapses by itself. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stopRenewing();
    this.ended();
    if (!this.lost) await this.leases.store.release(this.key, this.leases.owner).catch(() => undefined);
  }

  private lose(reason: string): void {
    if (this.lost) return;
    this.lost = true;
    this.stopRenewing();
    this.ended(reason);
  }
}
