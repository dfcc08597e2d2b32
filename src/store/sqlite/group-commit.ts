/** The transaction statements of the one connection a batch runs on. */
export interface TransactionControl {
  begin(): void;
  commit(): void;
  /** Undoes the open transaction, if SQLite has not undone it already. */
  rollback(): void;
}

/** Runs `commit` after the current turn of the event loop (every callback and promise of this turn has run). */
export type CommitScheduler = (commit: () => void) => void;

/** What one batch cost: how many calls shared it and how long its COMMIT took. */
export interface CommitReport {
  calls: number;
  commitMs: number;
}

export interface GroupCommitOptions {
  schedule?: CommitScheduler;
  /** Told of each batch committed (metrics, the bench). */
  onCommit?: (report: CommitReport) => void;
  /** Milliseconds, with sub-millisecond precision: how long COMMIT takes. */
  clock?: () => number;
}

interface Batch {
  calls: number;
  settled: boolean;
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: every write issued in one turn of the event loop runs at once inside one transaction, opened by the
 * first of them and committed after the turn; none of their promises resolves before that COMMIT, so whatever a caller
 * acknowledges (Slack's 200) is on disk. Reads issued while a batch is open run inside it too (they see its earlier
 * writes) and resolve after its commit, so no caller ever acts on a value that could still be undone; reads outside a
 * batch run at once on what is committed. A statement that fails, or a COMMIT that fails, undoes the whole batch and
 * rejects every call in it: none is acknowledged, nothing of it is written. The next write opens a new batch.
 */
/** What the batches cost so far (the bench reads it). */
export interface CommitStats {
  /** Calls that wrote (each one a commit of its own without group commit). */
  writes: number;
  /** Transactions committed. */
  commits: number;
  /** Time spent in COMMIT, milliseconds. */
  commitMs: number;
}

export class GroupCommit {
  readonly stats: CommitStats = { writes: 0, commits: 0, commitMs: 0 };
  private open: Batch | undefined;
  private readonly schedule: CommitScheduler;
  private readonly clock: () => number;

  constructor(
    private readonly tx: TransactionControl,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.schedule = options.schedule ?? ((commit) => setImmediate(commit));
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Runs `work` in this turn's batch (opening it) and resolves with its result once the batch is committed. */
  write<T>(work: () => T): Promise<T> {
    this.stats.writes += 1;
    let batch: Batch;
    try {
      batch = this.open ?? this.begin();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.join(batch, work);
  }

  /** Runs `work` now: inside the open batch (resolving after its commit), or on what is committed when none is open. */
  read<T>(work: () => T): Promise<T> {
    if (this.open) return this.join(this.open, work);
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Commits the open batch now, if there is one (before the connection closes). */
  flush(): void {
    if (this.open) this.commit(this.open);
  }

  /** True while a batch is open (its transaction not yet committed). */
  get pending(): boolean {
    return this.open !== undefined;
  }

  private join<T>(batch: Batch, work: () => T): Promise<T> {
    batch.calls += 1;
    let result: T;
    try {
      result = work();
    } catch (error) {
      // The whole batch is undone: this call and every other one in it reject with the error.
      this.fail(batch, error);
    }
    return batch.done.then(() => result);
  }

  private begin(): Batch {
    this.tx.begin();
    let resolve: () => void = () => undefined;
    let reject: (error: unknown) => void = () => undefined;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const batch: Batch = { calls: 0, settled: false, done, resolve, reject };
    this.open = batch;
    this.schedule(() => this.commit(batch));
    return batch;
  }

  private commit(batch: Batch): void {
    if (batch.settled) return;
    batch.settled = true;
    this.open = undefined;
    const started = this.clock();
    try {
      this.tx.commit();
    } catch (error) {
      this.undo();
      batch.reject(error);
      return;
    }
    const commitMs = this.clock() - started;
    this.stats.commits += 1;
    this.stats.commitMs += commitMs;
    this.options.onCommit?.({ calls: batch.calls, commitMs });
    batch.resolve();
  }

  private fail(batch: Batch, error: unknown): void {
    if (batch.settled) return;
    batch.settled = true;
    if (this.open === batch) this.open = undefined;
    this.undo();
    batch.reject(error);
  }

  private undo(): void {
    try {
      this.tx.rollback();
    } catch {
      // The transaction is gone already (SQLite undid it itself): nothing of the batch is written either way.
    }
  }
}
