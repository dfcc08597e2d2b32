import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { Keyv } from 'keyv';
import { SqliteStore } from '../../src/store/sqlite-store';

const dir = mkdtempSync(join(tmpdir(), 'devin-slack-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 60 * 60_000;

async function claimRows(store: SqliteStore): Promise<number> {
  const rows = await store.db.all<{ n: number }>('SELECT count(*) AS n FROM claims');
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
  expect(await claimRows(store)).toBe(3000);

  for (let day = 2; day <= 5; day += 1) {
    now += 2 * HOUR;
    expect(await store.purgeExpired()).toBe(3000);
    await claimMany(day);
  }
  expect(await claimRows(store)).toBe(3000);
  const sizeAfterFiveDays = statSync(path).size + statSync(`${path}-wal`).size;
  // Freed pages are reused: five days of claims take the room of one, give or take a few pages.
  expect(sizeAfterFiveDays).toBeLessThan(sizeAfterFirstDay * 1.5);
  await store.close();
});

it('still refuses a claim that has not expired after a purge', async () => {
  let now = Date.now();
  const store = await SqliteStore.open(':memory:', () => now);
  expect(await store.claim('lease', 'a', 1000)).toBe(true);
  expect(await store.purgeExpired()).toBe(0);
  expect(await store.claim('lease', 'b', 1000)).toBe(false);
  now += 1001;
  expect(await store.claimed('lease')).toBe(false);
  expect(await store.claim('lease', 'b', 1000)).toBe(true);
  await store.close();
});

it('drops the expired claims an earlier version left in the key-value table, and keeps the rest', async () => {
  const path = join(dir, 'legacy.sqlite');
  const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: 'devin_slack' });
  const old = new Keyv({ store: adapter, namespace: 'devin-slack' });
  await old.set('seen-message:T1:C1:1.2', 'event', 1);
  await old.set('thread:T1:C1:1.0', { sessionId: 'devin-1' });
  await new Promise((resolve) => setTimeout(resolve, 5));
  await old.disconnect();

  const store = await SqliteStore.open(path);
  const rows = await store.db.all<{ key: string }>('SELECT key FROM devin_slack');
  expect(rows.map((r) => r.key)).toEqual(['devin-slack:thread:T1:C1:1.0']);
  expect(await store.get('thread:T1:C1:1.0')).toEqual({ sessionId: 'devin-1' });
  await store.close();
});
