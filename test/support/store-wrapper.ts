import type { SortedIndex, Store } from '../../src/relay/ports/store';

/** Every call a wrapped store can see: the store's own (`ping` on the key `the store`), and its indexes' (`index put` ...). */
export type StoreCall =
  | 'get'
  | 'set'
  | 'delete'
  | 'claim'
  | 'claimed'
  | 'release'
  | 'renew'
  | 'ping'
  | 'index put'
  | 'index lower'
  | 'index replace'
  | 'index remove';

/**
 * A store that passes every call to another, telling `before` first (the key, or the index name and member as
 * `name:member`): the tests' stores that watch (`CountingStore`) or fail (`FlakyStore`) calls build on it.
 */
export abstract class StoreWrapper implements Store {
  constructor(protected readonly inner: Store) {}

  /** Called before each call; throwing makes the call fail. */
  protected abstract before(call: StoreCall, key: string): void;

  get shared(): boolean {
    return this.inner.shared;
  }

  async get<T>(key: string): Promise<T | undefined> {
    this.before('get', key);
    return this.inner.get<T>(key);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.before('set', key);
    return this.inner.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.before('delete', key);
    return this.inner.delete(key);
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    this.before('claim', key);
    return this.inner.claim(key, owner, ttlMs);
  }

  async claimed(key: string): Promise<boolean> {
    this.before('claimed', key);
    return this.inner.claimed(key);
  }

  async release(key: string, owner: string): Promise<void> {
    this.before('release', key);
    return this.inner.release(key, owner);
  }

  async renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    this.before('renew', key);
    return this.inner.renew(key, owner, ttlMs);
  }

  async ping(): Promise<void> {
    this.before('ping', 'the store');
    return this.inner.ping();
  }

  index(name: string): SortedIndex {
    const inner = this.inner.index(name);
    const call = async <T>(what: StoreCall, member: string, work: () => Promise<T>): Promise<T> => {
      this.before(what, `${name}:${member}`);
      return work();
    };
    return {
      put: (member, score) => call('index put', member, () => inner.put(member, score)),
      lower: (member, score) => call('index lower', member, () => inner.lower(member, score)),
      replace: (member, expected, score) => call('index replace', member, () => inner.replace(member, expected, score)),
      remove: (member) => call('index remove', member, () => inner.remove(member)),
      score: (member) => inner.score(member),
      upTo: (max, limit) => inner.upTo(max, limit),
      size: () => inner.size(),
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
