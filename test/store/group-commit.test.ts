import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Reply } from '../../src/relay/model/replies';
import { StoreError } from '../../src/relay/ports/store';
import { type CommitReport, GroupCommit } from '../../src/store/sqlite/group-commit';
import { SqliteReplyQueue } from '../../src/store/sqlite/sqlite-reply-queue';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const dir = mkdtempSync(join(tmpdir(), 'devin-slack-group-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let store: SqliteStore;
let queue: SqliteReplyQueue;
let commits: CommitReport[];
/** A second connection on the same file, as a backup or a restarted process reads it: it sees only what is committed. */
let outside: Database.Database;
let path: string;

beforeEach(async () => {
  commits = [];
  path = join(dir, `${Math.random().toString(36).slice(2)}.sqlite`);
  store = await SqliteStore.open(path, Date.now, { onCommit: (report) => commits.push(report) });
  queue = SqliteReplyQueue.open(store.db);
  outside = new Database(path, { readonly: true });
});

afterEach(async () => {
  outside.close();
  await store.close();
});

/** The value of a key as another connection sees it: committed, or not there. */
function committed(key: string): unknown {
  const row = outside.prepare('SELECT value FROM devin_slack WHERE key = ?').get(`devin-slack:${key}`) as
    | { value: string }
    | undefined;
  return row && (JSON.parse(row.value) as { value: unknown }).value;
}

const committedReplies = () =>
  (outside.prepare('SELECT id FROM replies ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
const committedClaims = () =>
  (outside.prepare('SELECT key FROM claims ORDER BY key').all() as Array<{ key: string }>).map((r) => r.key);

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function reply(id: string): Reply {
  return {
    id,
    sessionId: 'devin-1',
    text: `words of ${id}`,
    order: `1700000000.${id.padStart(6, '0').slice(-6)}`,
    state: 'queued',
    origin: { kind: 'command', team: 'T1', userId: 'U1' },
    receivedAt: 1000,
    attempts: 0,
  };
}

const claimsOf = (id: string) => ({ keys: [`seen-message:T1:C1:${id}`], owner: `Ev${id}`, ttlMs: 60_000 });

it('commits the writes issued in one turn as one transaction, and those of the next turn as another', async () => {
  await Promise.all([
    store.set('a', 1),
    store.claim('claim-a', 'me', 60_000),
    queue.record(reply('1'), claimsOf('1')),
    store.index('due').put('devin-1', 5),
  ]);
  expect(commits).toEqual([{ calls: 4, commitMs: expect.any(Number) }]);

  await Promise.all([store.set('b', 2), store.delete('a')]);
  expect(commits.map((c) => c.calls)).toEqual([4, 2]);
  expect([committed('a'), committed('b')]).toEqual([undefined, 2]);
  expect(committedReplies()).toEqual(['1']);
});

it('resolves no write before its batch is committed, so that what a caller acknowledges is on disk', async () => {
  const seenAtResolution: unknown[] = [];
  const writes = ['x', 'y', 'z'].map((key, i) => store.set(key, i).then(() => seenAtResolution.push(committed(key))));
  // Issued and applied on the app's connection, but not committed yet: nobody else can see them.
  expect([committed('x'), committed('y'), committed('z')]).toEqual([undefined, undefined, undefined]);
  await Promise.all(writes);
  expect(seenAtResolution).toEqual([0, 1, 2]);
  expect(commits).toHaveLength(1);
});

it('lets a read in a batch see the writes issued before it, and resolves it only after their commit', async () => {
  await store.set('k', 'old');
  const write = store.set('k', 'new');
  const read = store.get<string>('k').then((value) => ({ value, committed: committed('k') }));
  const claim = store.claim('c', 'me', 60_000);
  const claimed = store.claimed('c');
  const head = queue.record(reply('7')).then(() => queue.head('devin-1'));
  // Later writes of the same turn, issued after the read, are applied in the order they came.
  const later = store.set('k', 'newer');
  expect(await read).toEqual({ value: 'new', committed: 'newer' });
  expect(await claimed).toBe(true);
  await Promise.all([write, claim, later]);
  expect((await head)?.id).toBe('7');
  expect(await store.get('k')).toBe('newer');
});

it('answers a read outside any batch at once, from what is committed', async () => {
  await store.set('k', 'v');
  const before = commits.length;
  expect(await store.get('k')).toBe('v');
  expect(await store.claimed('nothing')).toBe(false);
  expect(await queue.head('devin-1')).toBeUndefined();
  expect(commits).toHaveLength(before);
});

describe('a statement that fails', () => {
  beforeEach(() => {
    // A refusal at the edge: SQLite itself aborts the insert of one reply, as a full disk or a broken file would.
    const writer = new Database(path);
    writer.exec(`CREATE TRIGGER refuse_poison BEFORE INSERT ON replies WHEN NEW.id = 'poison'
      BEGIN SELECT RAISE(ABORT, 'disk refused the write'); END`);
    writer.close();
  });

  it('fails every call of its batch, writes none of them, and the next turn writes again', async () => {
    await store.set('before', 'kept');
    const calls = [
      queue.record(reply('1'), claimsOf('1')),
      store.set('same-turn', 1),
      store.claim('claim-same-turn', 'me', 60_000),
      store.get('before'),
      queue.record(reply('poison'), claimsOf('poison')),
    ];
    const settled = await Promise.allSettled(calls);
    for (const outcome of settled) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(StoreError);
      expect(String(reason.message)).toContain('disk refused the write');
    }
    expect(committedReplies()).toEqual([]);
    expect(committedClaims()).toEqual([]);
    expect([committed('same-turn'), committed('before')]).toEqual([undefined, 'kept']);
    expect(await store.get('same-turn')).toBeUndefined();

    await Promise.all([queue.record(reply('1'), claimsOf('1')), store.set('same-turn', 2)]);
    expect(committedReplies()).toEqual(['1']);
    expect(committedClaims()).toEqual(['seen-message:T1:C1:1']);
    expect(committed('same-turn')).toBe(2);
  });

  it('leaves the calls issued after the failure in the same turn to a batch of their own', async () => {
    const failed = queue.record(reply('poison'));
    const after = store.set('after', 1);
    await expect(failed).rejects.toThrow('disk refused the write');
    await expect(after).resolves.toBeUndefined();
    expect(committed('after')).toBe(1);
    expect(committedReplies()).toEqual([]);
  });
});

describe('GroupCommit', () => {
  /** A connection's transaction statements, told what happened; `failCommit` makes the next COMMIT fail. */
  function control() {
    const log: string[] = [];
    let failCommit = false;
    return {
      log,
      failNextCommit: () => {
        failCommit = true;
      },
      tx: {
        begin: () => log.push('begin'),
        commit: () => {
          if (failCommit) {
            failCommit = false;
            throw new Error('commit refused');
          }
          log.push('commit');
        },
        rollback: () => log.push('rollback'),
      },
    };
  }

  it('rejects every call of a batch whose COMMIT fails, and rolls it back', async () => {
    const c = control();
    const batches = new GroupCommit(c.tx);
    c.failNextCommit();
    const outcomes = await Promise.allSettled([batches.write(() => 1), batches.read(() => 2), batches.write(() => 3)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(c.log).toEqual(['begin', 'rollback']);
    expect(await batches.write(() => 4)).toBe(4);
    expect(c.log).toEqual(['begin', 'rollback', 'begin', 'commit']);
  });

  it('commits when the scheduler says the turn is over, in the order the calls came', async () => {
    const c = control();
    let commit: (() => void) | undefined;
    const batches = new GroupCommit(c.tx, { schedule: (run) => (commit = run) });
    const resolved: number[] = [];
    const calls = [1, 2, 3].map((n) => batches.write(() => n).then((v) => resolved.push(v)));
    await nextTurn();
    expect(resolved).toEqual([]);
    expect(batches.pending).toBe(true);
    commit?.();
    await Promise.all(calls);
    expect(resolved).toEqual([1, 2, 3]);
    expect(c.log).toEqual(['begin', 'commit']);
  });

  it('commits a batch still open before the connection closes', async () => {
    const c = control();
    const batches = new GroupCommit(c.tx, { schedule: () => undefined });
    const write = batches.write(() => 'done');
    batches.flush();
    expect(await write).toBe('done');
    expect(c.log).toEqual(['begin', 'commit']);
  });
});
