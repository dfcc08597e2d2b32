import Database from 'better-sqlite3';
import { StoreError } from './store';

export type SqlValue = string | number | null;

/** The statements a SQLite user needs; `transaction` runs its statements as one, all or nothing. */
export interface SqlDb {
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params?: SqlValue[]): number;
  all<T>(sql: string, params?: SqlValue[]): T[];
  transaction<T>(work: () => T): T;
}

/**
 * One SQLite connection, the only one to its file, in write-ahead-log mode. Statements are synchronous: a prepared
 * statement costs microseconds, far less than a round trip to a thread, and a transaction can never interleave with
 * other work. Every failure is a `StoreError`.
 */
export class SqliteDb implements SqlDb {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  static open(path: string): SqliteDb {
    const db = fail('open', path, () => new Database(path, { timeout: 5000 }));
    // Write-ahead log: a write costs one append instead of a rewrite and sync of the journal.
    fail('open', path, () => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    });
    return new SqliteDb(db, path);
  }

  /** Runs several statements without parameters (schemas). */
  exec(sql: string): void {
    fail('exec', this.path, () => this.db.exec(sql));
  }

  run(sql: string, params: SqlValue[] = []): number {
    return fail('write', this.path, () => this.prepared(sql).run(...params).changes);
  }

  all<T>(sql: string, params: SqlValue[] = []): T[] {
    return fail('read', this.path, () => this.prepared(sql).all(...params) as T[]);
  }

  transaction<T>(work: () => T): T {
    return fail('transaction', this.path, () => this.db.transaction(work).immediate());
  }

  close(): void {
    if (this.db.open) fail('close', this.path, () => this.db.close());
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function fail<T>(operation: string, path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(`store ${operation} failed for ${path}: ${reason}`, operation, path, { cause: error });
  }
}
