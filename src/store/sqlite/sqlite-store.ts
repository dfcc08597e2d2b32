import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SortedIndex, Store } from '../../relay/ports/store';
import { LEASE_PREFIX } from '../../relay/ports/store-keys';
import { guard } from '../shared/guard';
import type { GroupCommitOptions } from './group-commit';
import { KeyvTable } from './keyv-table';
import { type SqlDb, SqliteDb } from './sqlite-db';
import { SORTED_INDEX_SCHEMA, SqliteSortedIndex } from './sqlite-sorted-index';

/** The table of plain values (keyv's). */
export const KV_TABLE = 'devin_slack';
const KV_NAMESPACE = 'devin-slack';
const PURGE_EVERY_MS = 10 * 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS claims_expiry ON claims (expires_at);
`;

/**
 * A store for one process: a SQLite file (the process owns it) or memory. Plain values live in keyv's table; claims
 * and everything ordered live in tables of their own in the same file, on the same connection, where one statement
 * is atomic and several can be one transaction. Expired claims are deleted on an indexed expiry, so the file does not
 * grow with old ones.
 */
export class SqliteStore implements Store {
  readonly shared = false;
  private readonly purging: NodeJS.Timeout;

  private constructor(
    private readonly values: KeyvTable,
    readonly db: SqliteDb,
    readonly now: () => number,
  ) {
    this.purging = setInterval(() => {
      try {
        this.purgeExpired();
      } catch {
        // The next purge tries again; claims only get older.
      }
    }, PURGE_EVERY_MS);
    this.purging.unref();
  }

  /**
   * `path` is a file, or `:memory:` for a store that lives as long as the process. `batching` tells who hears of each
   * group commit (metrics, the bench) and, in tests, when a batch commits.
   */
  static async open(
    path: string,
    now: () => number = Date.now,
    batching: GroupCommitOptions = {},
  ): Promise<SqliteStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = SqliteDb.open(path, batching);
    const values = KeyvTable.create(db, KV_TABLE, KV_NAMESPACE);
    db.exec(SCHEMA + SORTED_INDEX_SCHEMA);
    moveLegacyClaims(db, now());
    // The file has one owner, so leases left in it were held by an earlier run that is gone: its work resumes now.
    db.run('DELETE FROM claims WHERE substr(key, 1, ?) = ?', [LEASE_PREFIX.length, LEASE_PREFIX]);
    const store = new SqliteStore(values, db, now);
    store.purgeExpired();
    return store;
  }

  get<T>(key: string): Promise<T | undefined> {
    return guard('get', key, () => this.db.read(() => this.values.get<T>(key)));
  }

  async set(key: string, value: unknown): Promise<void> {
    await guard('set', key, () => this.db.write(() => this.values.set(key, value)));
  }

  async delete(key: string): Promise<void> {
    await guard('delete', key, () => this.db.write(() => this.values.delete(key)));
  }

  claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.db.write(() => {
      const now = this.now();
      return takeClaims(this.db, [key], owner, now + ttlMs, now) === 1;
    });
  }

  claimed(key: string): Promise<boolean> {
    return this.db.read(() => claimsTaken(this.db, [key], this.now()));
  }

  async release(key: string, owner: string): Promise<void> {
    await this.db.write(() => this.db.run('DELETE FROM claims WHERE key = ? AND owner = ?', [key, owner]));
  }

  renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    // A lapsed claim still holding this owner was taken by nobody since: extending it is safe.
    return this.db.write(
      () =>
        this.db.run('UPDATE claims SET expires_at = ? WHERE key = ? AND owner = ?', [
          this.now() + ttlMs,
          key,
          owner,
        ]) === 1,
    );
  }

  async ping(): Promise<void> {
    await this.db.read(() => this.db.all('SELECT 1'));
  }

  index(name: string): SortedIndex {
    return new SqliteSortedIndex(this.db, name);
  }

  /** Deletes expired claims; returns how many. Outside a batch it commits on its own; inside one, with it. */
  purgeExpired(): number {
    return this.db.run('DELETE FROM claims WHERE expires_at <= ?', [this.now()]);
  }

  async close(): Promise<void> {
    clearInterval(this.purging);
    this.db.close();
  }
}

/** Takes the claims that are free (absent or expired); returns how many it took. */
export function takeClaims(db: SqlDb, keys: string[], owner: string, expiresAt: number, now: number): number {
  if (keys.length === 0) return 0;
  return db.run(
    `INSERT INTO claims (key, owner, expires_at) VALUES ${keys.map(() => '(?, ?, ?)').join(', ')}
     ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
     WHERE claims.expires_at <= ?`,
    [...keys.flatMap((key) => [key, owner, expiresAt]), now],
  );
}

/** True when any of the claims is held. */
export function claimsTaken(db: SqlDb, keys: string[], now: number): boolean {
  if (keys.length === 0) return false;
  const rows = db.all(
    `SELECT 1 FROM claims WHERE key IN (${keys.map(() => '?').join(', ')}) AND expires_at > ? LIMIT 1`,
    [...keys, now],
  );
  return rows.length > 0;
}

/**
 * Earlier versions kept claims (the only values with a time to live) in keyv's table, which never deletes expired
 * rows. At start the live ones move to the claims table, so that Slack's redelivery of a message claimed just before
 * an upgrade is still recognised, and all of them leave keyv's table.
 */
function moveLegacyClaims(db: SqliteDb, now: number): void {
  const expiring = `json_valid(value) AND json_type(value, '$.expires') IN ('integer', 'real')`;
  db.transaction(() => {
    db.run(
      `INSERT INTO claims (key, owner, expires_at)
       SELECT substr(key, length('${KV_NAMESPACE}:') + 1), coalesce(json_extract(value, '$.value'), ''),
              json_extract(value, '$.expires')
       FROM ${KV_TABLE} WHERE ${expiring} AND json_extract(value, '$.expires') > ?
       ON CONFLICT (key) DO NOTHING`,
      [now],
    );
    db.run(`DELETE FROM ${KV_TABLE} WHERE ${expiring}`);
  });
}
