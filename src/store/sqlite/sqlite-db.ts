import Database from 'better-sqlite3';
import { StoreError } from '../../relay/ports/store';
import { type CommitStats, GroupCommit, type GroupCommitOptions } from './group-commit';

export type SqlValue = string | number | null;

/**
 * The statements a SQLite user needs; `transaction` runs its statements as one, all or nothing. A store call runs its
 * statements through `write` or `read` (group commit, see `GroupCommit`): its promise resolves once what it did or saw
 * is committed.
 */
export interface SqlDb {
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params?: SqlValue[]): number;
  all<T>(sql: string, params?: SqlValue[]): T[];
  transaction<T>(work: () => T): T;
  /** Runs `work` in this turn's batch; resolves with its result once the batch is committed. */
  write<T>(work: () => T): Promise<T>;
  /** Runs `work` now (inside the open batch, if any, resolving after its commit). */
  read<T>(work: () => T): Promise<T>;
}

/** How long a statement waits for a reader that holds the file a moment (a backup, a checkpoint by Litestream). */
const BUSY_TIMEOUT_MS = 5000;

/** The file beside the database whose lock says which process owns the database. */
export function sqliteLockPath(path: string): string {
  return `${path}-lock`;
}

/**
 * One SQLite connection, the database's only writer: one process per file, enforced by a lock file beside it
 * (`<file>-lock`), which this process holds exclusively from its open until its close (or its death, when the system
 * drops the lock). A second process on the same file is refused at once. The database itself is an ordinary file in
 * write-ahead-log mode, so SQLite's own tools (`sqlite3 .backup`, Litestream, the doctor) can read it while the app
 * runs. Statements are synchronous: a prepared statement costs microseconds, far less than a round trip to a thread,
 * and a transaction can never interleave with other work. Every failure is a `StoreError`.
 */
export class SqliteDb implements SqlDb {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly batches: GroupCommit;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly lock: Database.Database | undefined,
    batching: GroupCommitOptions = {},
  ) {
    this.batches = new GroupCommit(
      {
        begin: () => this.run('BEGIN IMMEDIATE'),
        commit: () => fail('commit', this.path, () => this.prepared('COMMIT').run()),
        rollback: () => {
          if (this.db.inTransaction) this.prepared('ROLLBACK').run();
        },
      },
      batching,
    );
  }

  /** `batching` sets when a batch commits and who hears of each commit (tests, the bench, metrics). */
  static open(path: string, batching: GroupCommitOptions = {}): SqliteDb {
    const lock = path === ':memory:' ? undefined : takeLock(path);
    let db: Database.Database | undefined;
    try {
      db = fail('open', path, () => new Database(path, { timeout: BUSY_TIMEOUT_MS }));
      // Write-ahead log: a write costs one append instead of a rewrite and sync of the journal, and readers (a backup)
      // never hold up the writer.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    } catch (error) {
      db?.close();
      lock?.close();
      return fail('open', path, () => {
        throw error;
      });
    }
    return new SqliteDb(db, path, lock, batching);
  }

  /** The database read beside the process that owns it: no lock taken, nothing written. */
  static openReadOnly(path: string): SqliteDb {
    const db = fail(
      'open',
      path,
      () => new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS }),
    );
    return new SqliteDb(db, path, undefined);
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

  write<T>(work: () => T): Promise<T> {
    return this.batches.write(work);
  }

  read<T>(work: () => T): Promise<T> {
    return this.batches.read(work);
  }

  /** How many calls wrote, how many commits that took, and their time (the bench reads it). */
  get commitStats(): Readonly<CommitStats> {
    return this.batches.stats;
  }

  close(): void {
    try {
      // A batch still open is committed first: its callers are waiting for it.
      if (this.db.open) this.batches.flush();
      if (this.db.open) fail('close', this.path, () => this.db.close());
    } finally {
      // Given back last: no other process may open the file while this one still has it open.
      if (this.lock?.open) this.lock.close();
    }
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

/**
 * Takes the database's lock file exclusively, without waiting: the only other holder can be another process, which keeps
 * it as long as it runs. Its journal lives in memory, so that the lock leaves no file but itself.
 */
function takeLock(path: string): Database.Database {
  const lock = fail('open', path, () => new Database(sqliteLockPath(path), { timeout: 0 }));
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
    return lock;
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new SqliteFileInUse(path, error);
    return fail('open', path, () => {
      throw error;
    });
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
