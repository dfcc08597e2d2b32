import { LRUCache } from 'lru-cache';

export interface TtlCacheOptions {
  /** How long an entry is fresh: less than this many milliseconds after it was set. */
  ttlMs: number;
  /** Entries kept at most; past it the least recently used is forgotten. */
  max: number;
  /** The time in milliseconds (the app's clock; tests pass their own). */
  now?: () => number;
}

/**
 * A bounded cache whose entries are fresh for a while after they are set (`lru-cache`, on the clock it is given). A
 * value may be `undefined` (a lookup that found nothing is remembered too): `get` answers `{ value }` for a fresh
 * entry, and undefined for none.
 */
export class TtlCache<V> {
  private readonly entries: LRUCache<string, { value: V }>;

  constructor({ ttlMs, max, now = Date.now }: TtlCacheOptions) {
    this.entries = new LRUCache({
      max,
      // lru-cache keeps an entry through `ttl` itself; here an entry is stale once `ttlMs` have passed.
      ttl: Math.max(1, ttlMs - 1),
      // Every look reads the clock (no caching of "now" on a timer), so that a test's clock is followed exactly.
      ttlResolution: 0,
      // lru-cache reads a start of 0 as "no start": the clock is shifted by one so that time 0 is a time too.
      perf: { now: () => now() + 1 },
    });
  }

  get(key: string): { value: V } | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.set(key, { value });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
