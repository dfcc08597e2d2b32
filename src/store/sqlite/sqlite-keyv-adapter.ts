import { EventEmitter } from 'node:events';
import type { SqliteDb } from './sqlite-db';

/**
 * keyv's storage on the app's one SQLite connection, in the table layout `@keyv/sqlite` uses (so files written by
 * earlier versions read the same). `@keyv/sqlite` is not used: its driver opens a second copy of SQLite on the same
 * file (which SQLite warns can break its locks) and pays a thread round trip of 100-200 µs per statement.
 */
export class SqliteKeyvAdapter extends EventEmitter {
  readonly opts: { dialect: 'sqlite'; table: string };
  namespace?: string;

  constructor(
    private readonly db: SqliteDb,
    private readonly table: string,
  ) {
    super();
    this.opts = { dialect: 'sqlite', table };
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
  }

  async get(key: string): Promise<string | undefined> {
    return this.db.all<{ value: string }>(`SELECT value FROM ${this.table} WHERE key = ?`, [key])[0]?.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.db.run(
      `INSERT INTO ${this.table} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [key, value],
    );
  }

  async delete(key: string): Promise<boolean> {
    return this.db.run(`DELETE FROM ${this.table} WHERE key = ?`, [key]) > 0;
  }

  async clear(): Promise<void> {
    this.db.run(`DELETE FROM ${this.table} WHERE key LIKE ?`, [this.namespace ? `${this.namespace}:%` : '%']);
  }

  async has(key: string): Promise<boolean> {
    return this.db.all(`SELECT 1 FROM ${this.table} WHERE key = ?`, [key]).length > 0;
  }
}
