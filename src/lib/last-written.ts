/**
 * What this process last wrote under each key, and when: a write of the same value again within `againMs` can be
 * skipped (a burst of replies by one person in one session costs one write, not one per reply). Another replica's
 * writes are not seen here, so a skipped write is one whose staleness, at worst, lasts `againMs`.
 */
export class LastWritten {
  private readonly written = new Map<string, { value: string; at: number }>();

  constructor(
    private readonly againMs: number,
    private readonly remembered = 1000,
  ) {}

  /** True when `value` was written under `key` less than `againMs` before `now`. */
  fresh(key: string, value: string, now: number): boolean {
    const last = this.written.get(key);
    return last !== undefined && last.value === value && now >= last.at && now - last.at < this.againMs;
  }

  /** Remembers a write (the oldest remembered is forgotten past the limit). */
  wrote(key: string, value: string, now: number): void {
    this.written.delete(key);
    if (this.written.size >= this.remembered) this.written.delete(this.written.keys().next().value as string);
    this.written.set(key, { value, at: now });
  }
}
