import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { Keyv } from 'keyv';
import { SqliteDb } from './sqlite-db';
import { SORTED_INDEX_SCHEMA, SqliteSortedIndex } from './sqlite-sorted-index';
import { guard, type SortedIndex, type Store } from './store';

const KV_TABLE = 'devin_slack';
const PURGE_EVERY_MS = 10 * 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS claims_expiry ON claims (expires_at);
`;

/**
 * A store for one process: a SQLite file (the process owns it) or memory. Plain values live in keyv's table; claims
 * and everything ordered live in tables of their own in the same file, on a second connection, where one statement is
 * atomic and several can be one transaction. Expired claims are deleted on an indexed expiry, so the file does not
 * grow with old ones.
 */
export class SqliteStore implements Store {
  readonly shared = false;
  private readonly purging: NodeJS.Timeout;

  private constructor(
    private readonly keyv: Keyv,
    readonly db: SqliteDb,
    private readonly now: () => number,
  ) {
    this.purging = setInterval(() => void this.purgeExpired().catch(() => undefined), PURGE_EVERY_MS);
    this.purging.unref();
  }

  /** `path` is a file, or `:memory:` for a store that lives as long as the process. */
  static async open(path: string, now: () => number = Date.now): Promise<SqliteStore> {
    const memory = path === ':memory:';
    if (!memory) mkdirSync(dirname(path), { recursive: true });
    let keyv: Keyv;
    if (memory) {
      keyv = new Keyv({ store: new Map(), namespace: 'devin-slack', throwOnErrors: true });
    } else {
      const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: KV_TABLE, busyTimeout: 5000 });
      await guard('open', path, () => adapter.query('SELECT 1'));
      keyv = new Keyv({ store: adapter, namespace: 'devin-slack', throwOnErrors: true });
    }
    const db = await SqliteDb.open(path);
    await db.exec(SCHEMA + SORTED_INDEX_SCHEMA);
    if (!memory) await dropLegacyClaims(db, now());
    const store = new SqliteStore(keyv, db, now);
    await store.purgeExpired();
    return store;
  }

  get<T>(key: string): Promise<T | undefined> {
    return guard('get', key, () => this.keyv.get<T>(key));
  }

  async set(key: string, value: unknown): Promise<void> {
    await guard('set', key, () => this.keyv.set(key, value));
  }

  async delete(key: string): Promise<void> {
    await guard('delete', key, () => this.keyv.delete(key));
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const changed = await this.db.run(
      `INSERT INTO claims (key, owner, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE claims.expires_at <= ?`,
      [key, owner, now + ttlMs, now],
    );
    return changed === 1;
  }

  async claimed(key: string): Promise<boolean> {
    const rows = await this.db.all('SELECT 1 FROM claims WHERE key = ? AND expires_at > ?', [key, this.now()]);
    return rows.length > 0;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.db.run('DELETE FROM claims WHERE key = ? AND owner = ?', [key, owner]);
  }

  index(name: string): SortedIndex {
    return new SqliteSortedIndex(this.db, name);
  }

  /** Deletes expired claims; resolves with how many. */
  purgeExpired(): Promise<number> {
    return this.db.run('DELETE FROM claims WHERE expires_at <= ?', [this.now()]);
  }

  async close(): Promise<void> {
    clearInterval(this.purging);
    await guard('close', '-', () => this.keyv.disconnect());
    await this.db.close();
  }
}

/** Earlier versions kept claims in keyv's table, which never deletes expired rows: drop those once. */
async function dropLegacyClaims(db: SqliteDb, now: number): Promise<void> {
  await db.run(
    `DELETE FROM ${KV_TABLE} WHERE json_valid(value) AND json_extract(value, '$.expires') IS NOT NULL
     AND json_extract(value, '$.expires') <= ?`,
    [now],
  );
}
