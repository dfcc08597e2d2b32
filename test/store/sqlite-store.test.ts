import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const dir = mkdtempSync(join(tmpdir(), 'devin-slack-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 60 * 60_000;

function claimRows(store: SqliteStore): number {
  const rows = store.db.all<{ n: number }>('SELECT count(*) AS n FROM claims');
  return rows[0]?.n ?? 0;
}

it('purges expired claims, so the file does not grow with old ones', async () => {
  const path = join(dir, 'purge.sqlite');
  let now = Date.now();
  const store = await SqliteStore.open(path, () => now);
  const claimMany = async (round: number) => {
    for (let i = 0; i < 3000; i += 1) await store.claim(`seen-message:T1:C1:${round}.${i}`, 'event', HOUR);
  };
  await claimMany(1);
  const sizeAfterFirstDay = statSync(path).size + statSync(`${path}-wal`).size;
  expect(claimRows(store)).toBe(3000);

  for (let day = 2; day <= 5; day += 1) {
    now += 2 * HOUR;
    expect(store.purgeExpired()).toBe(3000);
    await claimMany(day);
  }
  expect(claimRows(store)).toBe(3000);
  const sizeAfterFiveDays = statSync(path).size + statSync(`${path}-wal`).size;
  // Freed pages are reused: five days of claims take the room of one, give or take a few pages.
  expect(sizeAfterFiveDays).toBeLessThan(sizeAfterFirstDay * 1.5);
  await store.close();
});

it('still refuses a claim that has not expired after a purge', async () => {
  let now = Date.now();
  const store = await SqliteStore.open(':memory:', () => now);
  expect(await store.claim('lease', 'a', 1000)).toBe(true);
  expect(store.purgeExpired()).toBe(0);
  expect(await store.claim('lease', 'b', 1000)).toBe(false);
  now += 1001;
  expect(await store.claimed('lease')).toBe(false);
  expect(await store.claim('lease', 'b', 1000)).toBe(true);
  await store.close();
});

it('moves the live claims an earlier version left in the key-value table, drops the expired ones, and keeps the rest', async () => {
  const path = join(dir, 'legacy.sqlite');
  // The table and rows as `@keyv/sqlite` wrote them.
  const old = new Database(path);
  old.exec('CREATE TABLE devin_slack (key VARCHAR(255) PRIMARY KEY, value TEXT)');
  const insert = old.prepare('INSERT INTO devin_slack (key, value) VALUES (?, ?)');
  insert.run('devin-slack:seen-message:T1:C1:1.2', JSON.stringify({ value: 'event', expires: Date.now() - 1000 }));
  insert.run('devin-slack:seen-event:Ev1', JSON.stringify({ value: 'Ev1', expires: Date.now() + 60_000 }));
  insert.run('devin-slack:thread:T1:C1:1.0', JSON.stringify({ value: { sessionId: 'devin-1' }, expires: null }));
  old.close();

  const store = await SqliteStore.open(path);
  const rows = store.db.all<{ key: string }>('SELECT key FROM devin_slack');
  expect(rows.map((r) => r.key)).toEqual(['devin-slack:thread:T1:C1:1.0']);
  expect(await store.get('thread:T1:C1:1.0')).toEqual({ sessionId: 'devin-1' });
  // A redelivery of the message claimed before the upgrade is still recognised; the expired claim is gone.
  expect(await store.claimed('seen-event:Ev1')).toBe(true);
  expect(await store.claim('seen-event:Ev1', 'Ev1-again', 60_000)).toBe(false);
  expect(await store.claimed('seen-message:T1:C1:1.2')).toBe(false);
  await store.close();
});
