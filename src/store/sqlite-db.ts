import sqlite3 from 'sqlite3';
import { KeyedMutex } from './keyed-mutex';
import { guard } from './store';

export type SqlValue = string | number | null;

/** The statements a SQLite user needs; `transaction` runs its statements as one, all or nothing. */
export interface SqlDb {
  run(sql: string, params?: SqlValue[]): Promise<number>;
  all<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  transaction<T>(work: (tx: SqlStatements) => Promise<T>): Promise<T>;
}

/** Statements inside a transaction. */
export type SqlStatements = Pick<SqlDb, 'run' | 'all'>;

/**
 * One SQLite connection in write-ahead-log mode, beside the key-value table that keyv keeps in the same file. Every
 * statement waits for an open transaction to end, so a statement from elsewhere never lands inside someone else's
 * transaction (one connection has one transaction at a time).
 */
export class SqliteDb implements SqlDb {
  private readonly turn = new KeyedMutex();

  private constructor(
    private readonly db: sqlite3.Database,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<SqliteDb> {
    const db = await guard(
      'open',
      path,
      () =>
        new Promise<sqlite3.Database>((resolve, reject) => {
          const opened = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(opened)));
        }),
    );
    db.configure('busyTimeout', 5000);
    const sqlite = new SqliteDb(db, path);
    // Write-ahead log: a write costs one append instead of a rewrite and sync of the journal.
    await sqlite.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    return sqlite;
  }

  /** Runs several statements without parameters (schemas). */
  exec(sql: string): Promise<void> {
    return this.turn.run('db', () => guard('exec', this.path, () => this.raw((done) => this.db.exec(sql, done))));
  }

  run(sql: string, params: SqlValue[] = []): Promise<number> {
    return this.turn.run('db', () => this.statement(sql, params));
  }

  all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.turn.run('db', () => this.rows<T>(sql, params));
  }

  transaction<T>(work: (tx: SqlStatements) => Promise<T>): Promise<T> {
    return this.turn.run('db', async () => {
      const tx: SqlStatements = {
        run: (sql, params = []) => this.statement(sql, params),
        all: <R>(sql: string, params: SqlValue[] = []) => this.rows<R>(sql, params),
      };
      await this.statement('BEGIN IMMEDIATE', []);
      try {
        const result = await work(tx);
        await this.statement('COMMIT', []);
        return result;
      } catch (error) {
        await this.statement('ROLLBACK', []).catch(() => undefined);
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.turn.run('db', () => guard('close', this.path, () => this.raw((done) => this.db.close(done))));
  }

  private statement(sql: string, params: SqlValue[]): Promise<number> {
    return guard(
      'write',
      this.path,
      () =>
        new Promise<number>((resolve, reject) => {
          this.db.run(sql, params, function (this: sqlite3.RunResult, error: Error | null) {
            if (error) reject(error);
            else resolve(this.changes);
          });
        }),
    );
  }

  private rows<T>(sql: string, params: SqlValue[]): Promise<T[]> {
    return guard(
      'read',
      this.path,
      () =>
        new Promise<T[]>((resolve, reject) => {
          this.db.all(sql, params, (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows)));
        }),
    );
  }

  private raw(call: (done: (error: Error | null) => void) => void): Promise<void> {
    return new Promise((resolve, reject) => call((error) => (error ? reject(error) : resolve())));
  }
}
