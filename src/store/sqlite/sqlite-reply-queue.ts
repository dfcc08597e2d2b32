import type { Reply, ReplyState } from '../../relay/model/replies';
import {
  type RecordOptions,
  type RecordResult,
  type ReplyCaps,
  type ReplyChange,
  type ReplyClaims,
  type ReplyCounts,
  type ReplyQueue,
  type Revision,
  sequenceOf,
  type Withdrawal,
} from '../../relay/ports/reply-queue';
import { AUTHOR_INDEX, type Body, REPLIES_SCHEMA, type Row, toReply } from './reply-rows';
import type { SqlDb, SqliteDb, SqlValue } from './sqlite-db';
import { claimsTaken, takeClaims } from './sqlite-store';

const IN_ORDER = 'ORDER BY seq, id';

/** The reply queue as one row per reply, read in order through the (session, seq) index. */
export class SqliteReplyQueue implements ReplyQueue {
  constructor(
    private readonly db: SqlDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates the table when the file does not have it yet, and adds the columns later versions brought. */
  static open(db: SqliteDb, now?: () => number): SqliteReplyQueue {
    db.exec(REPLIES_SCHEMA);
    const columns = db.all<{ name: string }>('PRAGMA table_info(replies)').map((c) => c.name);
    if (!columns.includes('attachments')) db.exec('ALTER TABLE replies ADD COLUMN attachments TEXT');
    if (!columns.includes('author')) db.exec('ALTER TABLE replies ADD COLUMN author TEXT');
    if (!columns.includes('revision')) db.exec('ALTER TABLE replies ADD COLUMN revision TEXT');
    if (!columns.includes('revisions')) db.exec('ALTER TABLE replies ADD COLUMN revisions INTEGER NOT NULL DEFAULT 0');
    if (!columns.includes('withdrawn')) db.exec('ALTER TABLE replies ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0');
    db.exec(AUTHOR_INDEX);
    return new SqliteReplyQueue(db, now);
  }

  record(reply: Reply, claims?: ReplyClaims, caps?: ReplyCaps, options: RecordOptions = {}): Promise<RecordResult> {
    const body: Body = {
      order: reply.order,
      origin: reply.origin,
      receivedAt: reply.receivedAt,
      ...(reply.draft ? { draft: reply.draft } : {}),
    };
    return this.inBatch((): RecordResult => {
      const now = this.now();
      if (claims && claimsTaken(this.db, claims.keys, now)) return 'duplicate';
      const full = caps && this.fullFor(reply, caps);
      if (full) return full;
      const added = this.db.run(
        `INSERT INTO replies (id, session_id, seq, state, attempts, uncertain, first_attempt_at, was_held, problem, text,
           body, attachments, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        [
          reply.id,
          reply.sessionId,
          sequenceOf(reply.order),
          reply.state,
          reply.attempts,
          reply.uncertain ? 1 : 0,
          reply.firstAttemptAt ?? null,
          reply.wasHeld ? 1 : 0,
          reply.problem ?? null,
          reply.text,
          JSON.stringify(body),
          reply.attachments ? JSON.stringify(reply.attachments) : null,
          caps?.author ?? null,
        ],
      );
      if (added === 0) return 'duplicate';
      if (claims) takeClaims(this.db, claims.keys, claims.owner, now + claims.ttlMs, now);
      if (options.wake) {
        this.db.run("UPDATE replies SET state = 'queued' WHERE session_id = ? AND state IN ('held', 'failed')", [
          reply.sessionId,
        ]);
      }
      return 'recorded';
    });
  }

  /** `duplicate` when the reply is there already, else which cap the session or the author is at, if any. */
  private fullFor(reply: Reply, caps: ReplyCaps): Exclude<RecordResult, 'recorded'> | undefined {
    const [counts] = this.db.all<{ found: number; waiting: number; mine: number | null }>(
      `SELECT (SELECT COUNT(*) FROM replies WHERE id = ?) AS found, COUNT(*) AS waiting,
         SUM(author = ?) AS mine FROM replies WHERE session_id = ?`,
      [reply.id, caps.author, reply.sessionId],
    );
    if (counts?.found) return 'duplicate';
    if ((counts?.waiting ?? 0) >= caps.perSession) return 'session-full';
    return (counts?.mine ?? 0) >= caps.perAuthor ? 'author-full' : undefined;
  }

  head(sessionId: string): Promise<Reply | undefined> {
    return this.db.read(() => {
      const rows = this.db.all<Row>(`SELECT * FROM replies WHERE session_id = ? ${IN_ORDER} LIMIT 1`, [sessionId]);
      return rows[0] && toReply(rows[0]);
    });
  }

  list(sessionId: string): Promise<Reply[]> {
    return this.db.read(() =>
      this.db.all<Row>(`SELECT * FROM replies WHERE session_id = ? ${IN_ORDER}`, [sessionId]).map(toReply),
    );
  }

  update(id: string, change: ReplyChange, revisions?: number): Promise<boolean> {
    const set: Array<[string, SqlValue | undefined]> = [
      ['text', change.text],
      ['attempts', change.attempts],
      ['uncertain', change.uncertain === undefined ? undefined : change.uncertain ? 1 : 0],
      ['first_attempt_at', change.firstAttemptAt],
      ['attachments', change.attachments === undefined ? undefined : JSON.stringify(change.attachments)],
    ];
    const changed = set.filter((pair): pair is [string, SqlValue] => pair[1] !== undefined);
    const still = revisions === undefined ? '' : ' AND revisions = ?';
    const where = [id, ...(revisions === undefined ? [] : [revisions])];
    if (changed.length === 0) {
      return this.db.read(
        () => this.db.all(`SELECT 1 FROM replies WHERE id = ? AND withdrawn = 0${still}`, where).length > 0,
      );
    }
    const columns = changed.map(([column]) => `${column} = ?`).join(', ');
    const values = changed.map(([, value]) => value);
    return this.db.write(
      () =>
        this.db.run(`UPDATE replies SET ${columns} WHERE id = ? AND withdrawn = 0${still}`, [...values, ...where]) > 0,
    );
  }

  setStates(sessionId: string, from: ReplyState[], to: ReplyState, problem?: string): Promise<Reply[]> {
    const states = from.map(() => '?').join(', ');
    return this.inBatch(() => {
      const rows = this.db.all<Row>(`SELECT * FROM replies WHERE session_id = ? AND state IN (${states}) ${IN_ORDER}`, [
        sessionId,
        ...from,
      ]);
      if (rows.length === 0) return [];
      const held = to === 'queued' ? 0 : 1;
      this.db.run(
        `UPDATE replies SET state = ?, was_held = max(was_held, ?), problem = coalesce(?, problem)
         WHERE session_id = ? AND state IN (${states})`,
        [to, held, problem ?? null, sessionId, ...from],
      );
      return rows.map((row) => ({
        ...toReply(row),
        state: to,
        ...(problem === undefined ? {} : { problem }),
        ...(held ? { wasHeld: true } : {}),
      }));
    });
  }

  async remove(_sessionId: string, id: string, delivered?: ReplyClaims): Promise<void> {
    if (!delivered) {
      await this.db.write(() => this.db.run('DELETE FROM replies WHERE id = ?', [id]));
      return;
    }
    await this.inBatch(() => {
      const now = this.now();
      this.db.run('DELETE FROM replies WHERE id = ?', [id]);
      takeClaims(this.db, delivered.keys, delivered.owner, now + delivered.ttlMs, now);
    });
  }

  withdraw(_sessionId: string, id: string): Promise<Withdrawal> {
    return this.inBatch((): Withdrawal => {
      const row = this.db.all<Row>('SELECT * FROM replies WHERE id = ?', [id])[0];
      if (!row) return { kind: 'absent' };
      if (row.uncertain) {
        this.db.run('UPDATE replies SET withdrawn = 1 WHERE id = ?', [id]);
        return { kind: 'in-flight', reply: { ...toReply(row), withdrawn: true } };
      }
      this.db.run('DELETE FROM replies WHERE id = ?', [id]);
      return { kind: 'withdrawn', reply: toReply(row) };
    });
  }

  revise(_sessionId: string, id: string, text: string): Promise<Revision> {
    return this.inBatch((): Revision => {
      const row = this.db.all<Row>('SELECT * FROM replies WHERE id = ? AND withdrawn = 0', [id])[0];
      if (!row) return { kind: 'absent' };
      if (row.uncertain) return { kind: 'in-flight' };
      this.db.run("UPDATE replies SET revision = ?, revisions = revisions + 1, text = '' WHERE id = ?", [text, id]);
      return { kind: 'revised', reply: toReply({ ...row, revision: text, revisions: row.revisions + 1, text: '' }) };
    });
  }

  counts(): Promise<ReplyCounts> {
    return this.db.read(() => {
      const rows = this.db.all<{ state: ReplyState; count: number }>(
        'SELECT state, COUNT(*) AS count FROM replies GROUP BY state',
      );
      const counts: ReplyCounts = { queued: 0, held: 0, failed: 0 };
      for (const row of rows) if (row.state in counts) counts[row.state as keyof ReplyCounts] = row.count;
      return counts;
    });
  }

  sessionsToSend(): Promise<string[]> {
    return this.db.read(() =>
      this.db
        .all<{ session_id: string }>("SELECT DISTINCT session_id FROM replies WHERE state = 'queued'")
        .map((row) => row.session_id),
    );
  }

  /** Several statements as one step (a savepoint) within this turn's batch. */
  private inBatch<T>(work: () => T): Promise<T> {
    return this.db.write(() => this.db.transaction(work));
  }
}
