/**
 * The one storage interface of the app. Values are JSON. Errors are thrown as `StoreError`, never turned into
 * "not found": a store outage must not look like an unbound thread.
 */
export interface Store {
  /** True when other processes use the same data (Redis); a single-process store (SQLite, memory) needs no store locks. */
  readonly shared: boolean;
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically creates `key` holding `owner` unless it exists. True when this call created it. */
  claim(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** True while a claim on `key` exists. */
  claimed(key: string): Promise<boolean>;
  /** Deletes `key` only while it still holds `owner`. */
  release(key: string, owner: string): Promise<void>;
  /** Extends a claim `owner` still holds to `ttlMs` from now; false when it lapsed or another owner has it. */
  renew(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Resolves when the store answers (readiness checks); throws a `StoreError` naming the store when it does not. */
  ping(): Promise<void>;
  /** A named set of members ordered by a number (what is due when, which sessions have work). */
  index(name: string): SortedIndex;
  close(): Promise<void>;
}

/** Members ordered by score; every call touches the named members only (a Redis sorted set, an indexed table). */
export interface SortedIndex {
  put(member: string, score: number): Promise<void>;
  /** Adds `member`, or moves it earlier; never later ("poll this soon"). */
  lower(member: string, score: number): Promise<void>;
  /**
   * Moves `member` to `score` if it still has `expected`; otherwise (someone moved it meanwhile) only lowers it to
   * `score`, as `lower` does. One atomic step.
   */
  replace(member: string, expected: number, score: number): Promise<void>;
  remove(member: string): Promise<void>;
  score(member: string): Promise<number | undefined>;
  /** Members with a score of at most `max`, lowest first, at most `limit` of them. */
  upTo(max: number, limit: number): Promise<Array<{ member: string; score: number }>>;
  size(): Promise<number>;
}

export class StoreError extends Error {
  constructor(
    message: string,
    readonly operation: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
