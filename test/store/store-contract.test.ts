import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../src/store/create-store';
import { type Store, StoreError } from '../../src/store/store';
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

it('reports an unreachable Redis as a StoreError, not as missing data', async () => {
  await expect(createStore('redis://127.0.0.1:1')).rejects.toBeInstanceOf(StoreError);
});

it('reports a SQLite file that cannot be opened as a StoreError', async () => {
  await expect(createStore(`sqlite://${dir}`).then((store) => store.get('x'))).rejects.toBeInstanceOf(StoreError);
});
