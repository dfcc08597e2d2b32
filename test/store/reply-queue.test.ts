import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../../src/relay/model/replies';
import type { ReplyQueue } from '../../src/relay/ports/reply-queue';
import { RedisReplyQueue } from '../../src/store/redis/redis-reply-queue';
import { RedisStore } from '../../src/store/redis/redis-store';
import type { SqlDb } from '../../src/store/sqlite/sqlite-db';
import { SqliteReplyQueue } from '../../src/store/sqlite/sqlite-reply-queue';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { freshRedisUrl } from '../support/redis-test-url';

const dir = mkdtempSync(join(tmpdir(), 'devin-slack-queue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let redisUrl = '';
beforeAll(async () => {
  redisUrl = await freshRedisUrl(12);
});

interface Subject {
  queue: ReplyQueue;
  /** Store round trips made so far. */
  operations(): number;
  close(): Promise<void>;
}

/** Counts every statement (a transaction counts its statements, plus BEGIN and COMMIT). */
function counting(db: SqlDb, count: { n: number }): SqlDb {
  return {
    run: (sql, params) => {
      count.n += 1;
      return db.run(sql, params);
    },
    all: (sql, params) => {
      count.n += 1;
      return db.all(sql, params);
    },
    transaction: (work) => {
      count.n += 2;
      return db.transaction(work);
    },
    write: (work) => db.write(work),
    read: (work) => db.read(work),
  };
}

async function sqlite(path: string): Promise<Subject> {
  const store = await SqliteStore.open(path);
  const count = { n: 0 };
  SqliteReplyQueue.open(store.db);
  const queue = new SqliteReplyQueue(counting(store.db, count));
  return { queue, operations: () => count.n, close: () => store.close() };
}

async function redis(): Promise<Subject> {
  const store = await RedisStore.connect(redisUrl);
  const count = { n: 0 };
  const client = store.client as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ['eval', 'sMembers']) {
    const original = client[method]?.bind(store.client);
    client[method] = (...args: unknown[]) => {
      count.n += 1;
      return original?.(...args);
    };
  }
  return { queue: new RedisReplyQueue(store), operations: () => count.n, close: () => store.close() };
}

const kinds: Array<[string, () => Promise<Subject>]> = [
  ['sqlite file', () => sqlite(join(dir, `${Math.random()}.sqlite`))],
  ['memory', () => sqlite(':memory:')],
  ['redis', redis],
];

let serial = 0;
function reply(sessionId: string, ts: string, overrides: Partial<Reply> = {}): Reply {
  serial += 1;
  return {
    id: `T1:C1:${ts}:${serial}`,
    sessionId,
    text: `words ${ts}`,
    order: ts,
    state: 'queued',
    origin: {
      kind: 'thread',
      thread: { team: 'T1', channel: 'C1', threadTs: '1.0' },
      message: { team: 'T1', channel: 'C1', ts },
    },
    receivedAt: 1000,
    attempts: 0,
    ...overrides,
  };
}

const claimsOf = (ts: string) => ({
  keys: [`seen-event:Ev${ts}`, `seen-message:T1:C1:${ts}`],
  owner: 'Ev',
  ttlMs: 60_000,
});

describe.each(kinds)('%s reply queue', (kind, open) => {
  let subject: Subject;
  let queue: ReplyQueue;
  let session = '';
  beforeEach(async () => {
    subject = await open();
    queue = subject.queue;
    session = `devin-${Math.random().toString(36).slice(2)}`;
  });
  afterEach(() => subject.close());

  it('keeps replies in written order, whatever order they were recorded in', async () => {
    for (const ts of ['1700000000.000300', '1700000000.000100', '1699999999.999999', '1700000001.000000'])
      expect(await queue.record(reply(session, ts))).toBe('recorded');
    expect((await queue.list(session)).map((r) => r.order)).toEqual([
      '1699999999.999999',
      '1700000000.000100',
      '1700000000.000300',
      '1700000001.000000',
    ]);
    expect((await queue.head(session))?.order).toBe('1699999999.999999');
    expect(await queue.sessionsToSend()).toContain(session);
  });

  it('counts the waiting replies of every session by state', async () => {
    const before = await queue.counts();
    const other = `${session}-other`;
    const a1 = reply(session, '1.000001');
    await queue.record(a1);
    await queue.record(reply(session, '1.000002'));
    await queue.record(reply(other, '1.000003'));
    expect(await queue.counts()).toEqual({ queued: before.queued + 3, held: before.held, failed: before.failed });
    await queue.setStates(session, ['queued'], 'held', 'asleep');
    await queue.setStates(other, ['queued'], 'failed', 'retries ran out');
    await queue.record(reply(other, '1.000004'));
    expect(await queue.counts()).toEqual({
      queued: before.queued + 1,
      held: before.held + 2,
      failed: before.failed + 1,
    });
    await queue.remove(session, a1.id);
    expect(await queue.counts()).toEqual({
      queued: before.queued + 1,
      held: before.held + 1,
      failed: before.failed + 1,
    });
  });

  it('records a reply and its claims together, and refuses a second copy of either', async () => {
    const first = reply(session, '1700000000.000001');
    expect(await queue.record(first, claimsOf('1'))).toBe('recorded');
    expect(await queue.record(first, claimsOf('2'))).toBe('duplicate');
    expect(await queue.record(reply(session, '1700000000.000002'), claimsOf('1'))).toBe('duplicate');
    expect(
      await queue.record(reply(session, '1700000000.000003'), {
        keys: ['seen-event:Ev-other', 'seen-message:T1:C1:1'],
        owner: 'x',
        ttlMs: 60_000,
      }),
    ).toBe('duplicate');
    expect((await queue.list(session)).map((r) => r.id)).toEqual([first.id]);
  });

  it('reads back every field it was given, and changes one reply without touching another', async () => {
    const a = reply(session, '1.000001', { draft: { user: 'U1', text: 'hi <@U2>', botUserId: 'UBOT' }, text: '' });
    const b = reply(session, '1.000002');
    await queue.record(a);
    await queue.record(b);
    await queue.update(a.id, {
      text: 'Alice (@alice, U1) via Slack: hi @bob',
      attempts: 1,
      uncertain: true,
      firstAttemptAt: 5,
    });
    const [readA, readB] = await queue.list(session);
    expect(readA).toEqual({
      ...a,
      text: 'Alice (@alice, U1) via Slack: hi @bob',
      attempts: 1,
      uncertain: true,
      firstAttemptAt: 5,
    });
    expect(readB).toEqual(b);
    await queue.update(a.id, { uncertain: false });
    expect((await queue.head(session))?.uncertain).toBeUndefined();
  });

  it('keeps the files of a reply, and records what became of each on that reply only', async () => {
    const files = [
      {
        id: 'F1',
        name: 'trace.txt',
        size: 12,
        mimetype: 'text/plain',
        url: 'https://files.slack.com/files-pri/T1-F1/download/trace.txt',
      },
      { id: 'F2', name: 'big.bin', size: 99_000_000, url: 'https://files.slack.com/files-pri/T1-F2/download/big.bin' },
    ];
    const a = reply(session, '1.000001', { draft: { user: 'U1', text: 'logs', files }, text: '' });
    const b = reply(session, '1.000002');
    await queue.record(a);
    await queue.record(b);
    expect((await queue.head(session))?.draft?.files).toEqual(files);
    expect((await queue.head(session))?.attachments).toBeUndefined();

    const first = [{ key: 'F1', name: 'trace.txt', url: 'https://api.devin.ai/attachments/u1/trace.txt' }];
    await queue.update(a.id, { attachments: first });
    expect((await queue.head(session))?.attachments).toEqual(first);
    const both = [...first, { key: 'F2', name: 'big.bin', problem: 'over the 25 MB limit' }];
    await queue.update(a.id, { attachments: both, attempts: 1 });
    const [readA, readB] = await queue.list(session);
    expect(readA).toEqual({ ...a, attachments: both, attempts: 1 });
    expect(readB).toEqual(b);
    // Held and requeued, it keeps them.
    await queue.setStates(session, ['queued'], 'held', 'asleep');
    const [requeued] = await queue.setStates(session, ['held'], 'queued');
    expect(requeued?.attachments).toEqual(both);
  });

  it('holds and requeues replies, remembering that they were held', async () => {
    const a = reply(session, '1.000001');
    const b = reply(session, '1.000002');
    await queue.record(a);
    await queue.record(b);
    const held = await queue.setStates(session, ['queued'], 'held', 'Session is suspended');
    expect(held.map((r) => [r.id, r.state, r.wasHeld, r.problem])).toEqual([
      [a.id, 'held', true, 'Session is suspended'],
      [b.id, 'held', true, 'Session is suspended'],
    ]);
    expect(await queue.setStates(session, ['queued'], 'held')).toEqual([]);
    const c = reply(session, '1.000003');
    await queue.record(c);
    const requeued = await queue.setStates(session, ['held', 'failed'], 'queued');
    expect(requeued.map((r) => r.id)).toEqual([a.id, b.id]);
    expect((await queue.list(session)).map((r) => [r.state, r.wasHeld ?? false])).toEqual([
      ['queued', true],
      ['queued', true],
      ['queued', false],
    ]);
  });

  it("wakes the session's held and failed replies in the step that records a new one, and only then", async () => {
    const other = `${session}-other`;
    const [a, b, elsewhere] = [reply(session, '1.000001'), reply(session, '1.000002'), reply(other, '1.000001')];
    for (const r of [a, b, elsewhere]) await queue.record(r);
    await queue.setStates(session, ['queued'], 'held', 'asleep');
    await queue.setStates(other, ['queued'], 'failed', 'retries ran out');
    // A copy of a reply already there wakes nothing.
    expect(await queue.record(b, undefined, undefined, { wake: true })).toBe('duplicate');
    expect((await queue.list(session)).map((r) => r.state)).toEqual(['held', 'held']);
    expect(await queue.sessionsToSend()).not.toContain(session);

    const before = subject.operations();
    const c = reply(session, '1.000003');
    expect(await queue.record(c, claimsOf('1.000003'), undefined, { wake: true })).toBe('recorded');
    expect(subject.operations() - before).toBe(kind === 'redis' ? 1 : 6);
    expect((await queue.list(session)).map((r) => [r.id, r.state, r.wasHeld ?? false, r.problem])).toEqual([
      [a.id, 'queued', true, 'asleep'],
      [b.id, 'queued', true, 'asleep'],
      [c.id, 'queued', false, undefined],
    ]);
    expect(await queue.sessionsToSend()).toContain(session);
    expect((await queue.list(other)).map((r) => r.state)).toEqual(['failed']);
    // Held again later, they are found as held ones again (the set of stuck replies is kept right).
    await queue.setStates(session, ['queued'], 'held', 'asleep');
    expect((await queue.setStates(session, ['held', 'failed'], 'queued')).map((r) => r.id)).toEqual([a.id, b.id, c.id]);
  });

  it('lists a session for the sweep only while it has a reply to send, not while all of them are held', async () => {
    const a = reply(session, '1.000001');
    const b = reply(session, '1.000002');
    await queue.record(a);
    await queue.record(b);
    expect(await queue.sessionsToSend()).toContain(session);
    await queue.setStates(session, ['queued'], 'held', 'asleep');
    expect(await queue.sessionsToSend()).not.toContain(session);
    await queue.setStates(session, ['held'], 'queued');
    expect(await queue.sessionsToSend()).toContain(session);
  });

  it('forgets a session once its last reply is removed', async () => {
    const a = reply(session, '1.000001');
    await queue.record(a);
    await queue.remove(session, a.id);
    expect(await queue.head(session)).toBeUndefined();
    expect(await queue.sessionsToSend()).not.toContain(session);
    await queue.update(a.id, { attempts: 3 });
    expect(await queue.list(session)).toEqual([]);
  });

  it('records no reply over the session cap or the author cap, and counts a removed one no more', async () => {
    const caps = (author: string) => ({ perSession: 3, perAuthor: 2, author });
    const a = reply(session, '1.000001');
    expect(await queue.record(a, undefined, caps('U1'))).toBe('recorded');
    expect(await queue.record(reply(session, '1.000002'), undefined, caps('U1'))).toBe('recorded');
    expect(await queue.record(reply(session, '1.000003'), undefined, caps('U1'))).toBe('author-full');
    expect(await queue.record(reply(session, '1.000004'), undefined, caps('U2'))).toBe('recorded');
    expect(await queue.record(reply(session, '1.000005'), undefined, caps('U3'))).toBe('session-full');
    // Held and failed replies count as waiting; a copy of a recorded one is a duplicate, not a full session.
    await queue.setStates(session, ['queued'], 'held', 'asleep');
    expect(await queue.record(a, undefined, caps('U3'))).toBe('duplicate');
    expect(await queue.record(reply(session, '1.000006'), undefined, caps('U3'))).toBe('session-full');
    await queue.remove(session, a.id);
    expect(await queue.record(reply(session, '1.000007'), undefined, caps('U1'))).toBe('recorded');
    expect(await queue.record(reply(`${session}-other`, '1.000008'), undefined, caps('U1'))).toBe('recorded');
    expect((await queue.list(session)).length).toBe(3);
  });

  it('takes a reply back unless a request with it is out, which is marked never to be sent again', async () => {
    const a = reply(session, '1.000001');
    const b = reply(session, '1.000002');
    await queue.record(a, undefined, { perSession: 10, perAuthor: 10, author: 'U1' });
    await queue.record(b, undefined, { perSession: 10, perAuthor: 10, author: 'U1' });
    await queue.setStates(session, ['queued'], 'held', 'asleep');
    expect(await queue.withdraw(session, a.id)).toEqual({
      kind: 'withdrawn',
      reply: expect.objectContaining({ id: a.id, state: 'held' }),
    });
    expect(await queue.withdraw(session, a.id)).toEqual({ kind: 'absent' });
    await queue.setStates(session, ['held'], 'queued');
    expect(await queue.update(b.id, { uncertain: true, attempts: 1 })).toBe(true);
    expect(await queue.withdraw(session, b.id)).toEqual({
      kind: 'in-flight',
      reply: expect.objectContaining({ id: b.id, withdrawn: true }),
    });
    expect(await queue.update(b.id, { attempts: 2 })).toBe(false);
    expect(await queue.head(session)).toMatchObject({ id: b.id, withdrawn: true, attempts: 1 });
    await queue.remove(session, b.id);
    expect(await queue.sessionsToSend()).not.toContain(session);
    // The author's count went with them.
    const caps = { perSession: 10, perAuthor: 1, author: 'U1' };
    expect(await queue.record(reply(session, '1.000003'), undefined, caps)).toBe('recorded');
  });

  it('gives a waiting reply new words for its next attempt, and an attempt read before that sends nothing', async () => {
    const a = reply(session, '1.000001', { draft: { user: 'U1', text: 'first words' } });
    await queue.record(a);
    await queue.update(a.id, { text: 'U1 via Slack: first words', attempts: 1 });
    const revised = await queue.revise(session, a.id, 'second words');
    expect(revised).toMatchObject({ kind: 'revised', reply: { text: '', revisions: 1 } });
    expect((await queue.head(session))?.draft?.text).toBe('second words');
    expect(await queue.update(a.id, { uncertain: true }, 0)).toBe(false);
    expect(await queue.update(a.id, { uncertain: true }, 1)).toBe(true);
    expect(await queue.revise(session, a.id, 'third words')).toEqual({ kind: 'in-flight' });
    expect(await queue.revise(session, 'nobody', 'x')).toEqual({ kind: 'absent' });
  });

  it('takes the claims that mark a delivered reply as it removes it', async () => {
    const a = reply(session, '1.000001');
    await queue.record(a);
    const mark = { keys: [`delivered-message:T1:C1:${session}`], owner: 'delivered', ttlMs: 60_000 };
    await queue.remove(session, a.id, mark);
    expect(await queue.record(reply(session, '1.000002'), mark)).toBe('duplicate');
  });

  it('costs as many store round trips per reply with 500 waiting as with one', async () => {
    const costOfOne = async (ts: string) => {
      const before = subject.operations();
      const r = reply(session, ts);
      await queue.record(r, claimsOf(ts), { perSession: 1000, perAuthor: 1000, author: 'U1' });
      await queue.head(session);
      await queue.update(r.id, { attempts: 1, uncertain: true, firstAttemptAt: 1 });
      await queue.setStates(session, ['held', 'failed'], 'queued');
      return subject.operations() - before;
    };
    const withNone = await costOfOne('1.000000');
    for (let i = 1; i <= 500; i += 1) await queue.record(reply(session, `2.${String(i).padStart(6, '0')}`));
    const withMany = await costOfOne('3.000000');
    expect(withMany).toBe(withNone);
    expect(withNone).toBeLessThanOrEqual(12);
    expect((await queue.list(session)).length).toBe(502);
  });
});

describe('replies recorded before files were forwarded', () => {
  it('reads a SQLite file whose replies table has no attachments column, and adds it', async () => {
    const path = join(dir, 'before-files.sqlite');
    const before = await SqliteStore.open(path);
    before.db.exec(`CREATE TABLE replies (
      id TEXT PRIMARY KEY, session_id TEXT NOT NULL, seq TEXT NOT NULL, state TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, uncertain INTEGER NOT NULL DEFAULT 0, first_attempt_at INTEGER,
      was_held INTEGER NOT NULL DEFAULT 0, problem TEXT, text TEXT NOT NULL, body TEXT NOT NULL)`);
    const old = reply('devin-old', '1.000001', { draft: { user: 'U1', text: 'see', files: [{ name: 'a.txt' }] } });
    const body = JSON.stringify({ order: old.order, origin: old.origin, receivedAt: old.receivedAt, draft: old.draft });
    before.db.run(
      "INSERT INTO replies (id, session_id, seq, state, attempts, text, body) VALUES (?, ?, ?, 'queued', 0, ?, ?)",
      [old.id, old.sessionId, '000000000001.000001', old.text, body],
    );
    await before.close();

    const store = await SqliteStore.open(path);
    try {
      const queue = SqliteReplyQueue.open(store.db);
      expect(await queue.head('devin-old')).toEqual(old);
      await queue.update(old.id, {
        attachments: [{ key: '#0', name: 'a.txt', problem: 'Slack gave no download link for it' }],
      });
      expect((await queue.head('devin-old'))?.attachments).toHaveLength(1);
      // Opening it again changes nothing.
      SqliteReplyQueue.open(store.db);
      expect((await queue.head('devin-old'))?.attachments).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('reads a Redis hash without an attachments field', async () => {
    const store = await RedisStore.connect(redisUrl);
    try {
      const queue = new RedisReplyQueue(store);
      const old = reply('devin-old-redis', '1.000001', {
        draft: { user: 'U1', text: 'see', files: [{ name: 'a.txt' }] },
      });
      await queue.record(old);
      expect(Number(await store.client.hExists(store.key(`reply:${old.id}`), 'attachments'))).toBe(0);
      expect(await queue.head('devin-old-redis')).toEqual(old);
      await queue.remove('devin-old-redis', old.id);
    } finally {
      await store.close();
    }
  });
});
