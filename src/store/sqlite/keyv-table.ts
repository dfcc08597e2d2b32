import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import type { SqlDb } from './sqlite-db';

/** What keyv keeps in a row: the value, and when it expires (never, for everything this app writes). */
interface Stored<T> {
  value: T;
  expires?: number | null;
}

/**
 * Plain values in keyv's table and format (the layout `@keyv/sqlite` uses, keyv's own serializer and namespace), so
 * that files written by earlier versions read the same. Read and written synchronously on the app's one connection:
 * each call's statement runs as the call is made, in the order the calls come, which is what group commit needs (a
 * read issued after a write of the same turn sees it). Neither keyv's async layer nor `@keyv/sqlite` is used: the
 * first would run statements a few promise turns late and out of order, the second opens a second copy of SQLite on
 * the same file (which SQLite warns can break its locks) and pays a thread round trip of 100-200 µs per statement.
 */
export class KeyvTable {
  constructor(
    private readonly db: SqlDb,
    readonly table: string,
    private readonly namespace: string,
  ) {}

  /** Creates the table when the file does not have it yet. */
  static create(db: SqlDb & { exec(sql: string): void }, table: string, namespace: string): KeyvTable {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
    return new KeyvTable(db, table, namespace);
  }

  get<T>(key: string): T | undefined {
    const raw = this.db.all<{ value: string }>(`SELECT value FROM ${this.table} WHERE key = ?`, [this.rowKey(key)])[0]
      ?.value;
    if (raw === undefined) return undefined;
    const stored = defaultDeserialize(raw) as Stored<T> | null;
    if (!stored || (typeof stored.expires === 'number' && Date.now() > stored.expires)) return undefined;
    return stored.value;
  }

  set(key: string, value: unknown): void {
    this.db.run(
      `INSERT INTO ${this.table} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [this.rowKey(key), defaultSerialize({ value, expires: undefined })],
    );
  }

  delete(key: string): boolean {
    return this.db.run(`DELETE FROM ${this.table} WHERE key = ?`, [this.rowKey(key)]) > 0;
  }

  private rowKey(key: string): string {
    return `${this.namespace}:${key}`;
  }
}
