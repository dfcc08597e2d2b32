import { TtlCache } from './ttl-cache';

/**
 * What this process last wrote under each key, and when: a write of the same value again within `againMs` can be
 * skipped (a burst of replies by one person in one session costs one write, not one per reply). Another replica's
 * writes are not seen here, so a skipped write is one whose staleness, at worst, lasts `againMs`.
 */
export class LastWritten {
  /** The time of the call being answered: each call says when it is. */
  private at = 0;
  private readonly written: TtlCache<string>;

  constructor(againMs: number, remembered = 1000) {
    this.written = new TtlCache({ ttlMs: againMs, max: remembered, now: () => this.at });
  }

  /** True when `value` was written under `key` less than `againMs` before `now`. */
  fresh(key: string, value: string, now: number): boolean {
    this.at = now;
    return this.written.get(key)?.value === value;
  }

  /** Remembers a write (the least recently used is forgotten past the limit). */
  wrote(key: string, value: string, now: number): void {
    this.at = now;
    this.written.set(key, value);
  }
}
