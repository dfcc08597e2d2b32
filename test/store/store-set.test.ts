import { SqliteStore } from '../../src/store/sqlite-store';
import { StoreLock } from '../../src/store/store-lock';
import { StoreSet } from '../../src/store/store-set';

const fresh = async () => {
  const store = await SqliteStore.open(':memory:');
  return new StoreSet(store, new StoreLock(store), 'index');
};

it('keeps each id once, in the order added, under concurrent adds', async () => {
  const set = await fresh();
  await Promise.all(['a', 'b', 'a', 'c', 'b'].map((id) => set.add(id)));
  expect((await set.members()).sort()).toEqual(['a', 'b', 'c']);
});

it('removes an id unless the check under the lock says it is still needed', async () => {
  const set = await fresh();
  await set.add('a');
  await set.add('b');
  await set.remove('a', async () => true);
  await set.remove('b', async () => false);
  await set.remove('missing');
  expect(await set.members()).toEqual(['a']);
});
