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
 * One SQLite connection, the only one to its file: it takes the file's exclusive lock as it opens and keeps it until it
 * closes (or its process dies, when the system drops the lock), so a second process on the same file is refused at
 * once instead of racing this one. The file is in write-ahead-log mode. Statements are synchronous: a prepared
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
    // No busy wait: the only other holder of the lock can be another process, which keeps it as long as it runs.
    const db = fail('open', path, () => new Database(path, { timeout: 0 }));
    try {
      // Exclusive before the first access, so that the write-ahead log keeps its index in memory (no shared memory
      // file for other processes) and the first write takes a lock that is never given back while this runs.
      db.pragma('locking_mode = EXCLUSIVE');
      // Write-ahead log: a write costs one append instead of a rewrite and sync of the journal.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new SqliteFileInUse(path, error);
      return fail('open', path, () => {
        throw error;
      });
    }
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

/** Another process holds the file's lock: one process per SQLite file. */
export class SqliteFileInUse extends StoreError {
  constructor(path: string, cause: unknown) {
    super(
      `another process is already using the SQLite store ${path}; a SQLite file belongs to one process. ` +
        'Stop the other process, or run several replicas on a shared store with STORE_URL=redis://<host>:<port>.',
      'open',
      path,
      { cause },
    );
    this.name = 'SqliteFileInUse';
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
