import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, StoreError } from '../../src/relay/ports/store';
import { createStore } from '../../src/store/create-store';
import { freshRedisUrl } from '../support/redis-test-url';

let redisUrl = '';
beforeAll(async () => {
  redisUrl = await freshRedisUrl(13);
});
const dir = mkdtempSync(join(tmpdir(), 'devin-slack-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kinds: Array<[string, () => string]> = [
  ['memory', () => 'memory://'],
  ['sqlite', () => `sqlite://${join(dir, `${Math.random()}.sqlite`)}`],
  ['redis', () => `${redisUrl}`],
];

describe.each(kinds)('%s store', (_kind, url) => {
  let store: Store;
  const prefix = `test:${process.pid}:${Date.now()}:${Math.random()}:`;
  beforeEach(async () => {
    store = await createStore(url());
  });
  afterEach(() => store.close());

  it('reads back what it wrote and forgets what it deleted', async () => {
    await store.set(`${prefix}a`, { thread: '1.2', list: [1, 2] });
    expect(await store.get(`${prefix}a`)).toEqual({ thread: '1.2', list: [1, 2] });
    await store.delete(`${prefix}a`);
    expect(await store.get(`${prefix}a`)).toBeUndefined();
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claim(`${prefix}c`, `o${i}`, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('releases a claim only for its owner', async () => {
    expect(await store.claim(`${prefix}l`, 'me', 60_000)).toBe(true);
    await store.release(`${prefix}l`, 'someone-else');
    expect(await store.claim(`${prefix}l`, 'other', 60_000)).toBe(false);
    await store.release(`${prefix}l`, 'me');
    expect(await store.claim(`${prefix}l`, 'other', 60_000)).toBe(true);
  });

  it('keeps an index ordered by score and reads only what is due', async () => {
    const index = store.index(`${prefix}due`);
    await index.put('b', 20);
    await index.put('a', 10);
    await index.put('c', 30);
    expect(await index.upTo(25, 10)).toEqual([
      { member: 'a', score: 10 },
      { member: 'b', score: 20 },
    ]);
    expect(await index.upTo(100, 1)).toEqual([{ member: 'a', score: 10 }]);
    await index.lower('c', 5);
    await index.lower('a', 50);
    expect(await index.score('c')).toBe(5);
    expect(await index.score('a')).toBe(10);
    await index.lower('d', 1);
    await index.remove('b');
    expect(await index.size()).toBe(3);
    expect((await index.upTo(100, 10)).map((r) => r.member)).toEqual(['d', 'c', 'a']);
    expect(await index.score('b')).toBeUndefined();
    expect(await store.index(`${prefix}other`).size()).toBe(0);
  });

  it('renews a claim only for its owner, and not once it lapsed and another took it', async () => {
    expect(await store.claim(`${prefix}r`, 'me', 60)).toBe(true);
    expect(await store.renew(`${prefix}r`, 'someone-else', 60_000)).toBe(false);
    expect(await store.renew(`${prefix}r`, 'me', 60_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Renewed: still held well past its first time to live.
    expect(await store.claim(`${prefix}r`, 'other', 60_000)).toBe(false);

    expect(await store.claim(`${prefix}s`, 'me', 30)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.claim(`${prefix}s`, 'other', 60_000)).toBe(true);
    expect(await store.renew(`${prefix}s`, 'me', 60_000)).toBe(false);
    expect(await store.renew(`${prefix}s`, 'other', 60_000)).toBe(true);
  });

  it('answers a ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('replaces a score only when it is still the expected one, and otherwise only lowers it', async () => {
    const index = store.index(`${prefix}replace`);
    await index.put('a', 100);
    await index.replace('a', 100, 500);
    expect(await index.score('a')).toBe(500);
    // Moved meanwhile (to 50): the sooner time stays.
    await index.put('a', 50);
    await index.replace('a', 500, 900);
    expect(await index.score('a')).toBe(50);
    await index.replace('a', 500, 20);
    expect(await index.score('a')).toBe(20);
    await index.replace('b', 1, 7);
    expect(await index.score('b')).toBe(7);
  });

  it('lets a claim lapse after its time to live', async () => {
    expect(await store.claim(`${prefix}t`, 'me', 30)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.claim(`${prefix}t`, 'you', 60_000)).toBe(true);
  });
});

it('keeps data in a SQLite file across reopening', async () => {
  const url = `sqlite://${join(dir, 'nested', 'reopen.sqlite')}`;
  const first = await createStore(url);
  await first.set('binding', { session: 'devin-1' });
  expect(await first.claim('event', 'x', 60_000)).toBe(true);
  await first.close();
  const second = await createStore(url);
  expect(await second.get('binding')).toEqual({ session: 'devin-1' });
  expect(await second.claim('event', 'y', 60_000)).toBe(false);
  await second.close();
});

it('refuses a second opening of a SQLite file at once, saying to use Redis for replicas', async () => {
  const url = `sqlite://${join(dir, 'owned.sqlite')}`;
  const first = await createStore(url);
  const started = Date.now();
  await expect(createStore(url)).rejects.toThrow(/another process is already using .*STORE_URL=redis:\/\//);
  expect(Date.now() - started).toBeLessThan(1000);
  await first.close();
  // Once the owner is gone, the file opens again.
  const second = await createStore(url);
  await second.close();
});

it('drops the leases an earlier run of a SQLite file left, and keeps its other claims', async () => {
  const url = `sqlite://${join(dir, 'leases.sqlite')}`;
  const first = await createStore(url);
  expect(await first.claim('lease:deliver:devin-1', 'earlier-run', 60_000)).toBe(true);
  expect(await first.claim('seen-event:Ev1', 'Ev1', 60_000)).toBe(true);
  await first.close();
  const second = await createStore(url);
  expect(await second.claim('lease:deliver:devin-1', 'this-run', 60_000)).toBe(true);
  expect(await second.claimed('seen-event:Ev1')).toBe(true);
  await second.close();
});

it('reports an unreachable Redis as a StoreError, not as missing data', async () => {
  await expect(createStore('redis://127.0.0.1:1')).rejects.toBeInstanceOf(StoreError);
});

it('reports a SQLite file that cannot be opened as a StoreError', async () => {
  await expect(createStore(`sqlite://${dir}`).then((store) => store.get('x'))).rejects.toBeInstanceOf(StoreError);
});
