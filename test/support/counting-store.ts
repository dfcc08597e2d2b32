import type { SortedIndex, Store } from '../../src/store/store';

export interface StoreOp {
  op: 'get' | 'set' | 'delete' | 'index put' | 'index lower' | 'index replace' | 'index remove';
  /** The key, or the index name followed by the member. */
  key: string;
}

/** A store that records the app's reads and writes (claims and index reads are passed through unrecorded). */
export class CountingStore implements Store {
  readonly ops: StoreOp[] = [];

  constructor(private readonly inner: Store) {}

  get shared(): boolean {
    return this.inner.shared;
  }

  /** The recorded operations of one kind on keys starting with `prefix`, from `from` on. */
  count(op: StoreOp['op'], prefix: string, from = 0): number {
    return this.ops.slice(from).filter((o) => o.op === op && o.key.startsWith(prefix)).length;
  }

  get<T>(key: string): Promise<T | undefined> {
    this.ops.push({ op: 'get', key });
    return this.inner.get<T>(key);
  }

  set(key: string, value: unknown): Promise<void> {
    this.ops.push({ op: 'set', key });
    return this.inner.set(key, value);
  }

  delete(key: string): Promise<void> {
    this.ops.push({ op: 'delete', key });
    return this.inner.delete(key);
  }

  claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.inner.claim(key, owner, ttlMs);
  }

  claimed(key: string): Promise<boolean> {
    return this.inner.claimed(key);
  }

  release(key: string, owner: string): Promise<void> {
    return this.inner.release(key, owner);
  }

  renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.inner.renew(key, owner, ttlMs);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  index(name: string): SortedIndex {
    const inner = this.inner.index(name);
    const record = <T>(op: StoreOp['op'], member: string, work: () => Promise<T>): Promise<T> => {
      this.ops.push({ op, key: `${name}:${member}` });
      return work();
    };
    return {
      put: (member, score) => record('index put', member, () => inner.put(member, score)),
      lower: (member, score) => record('index lower', member, () => inner.lower(member, score)),
      replace: (member, expected, score) =>
        record('index replace', member, () => inner.replace(member, expected, score)),
      remove: (member) => record('index remove', member, () => inner.remove(member)),
      score: (member) => inner.score(member),
      upTo: (max, limit) => inner.upTo(max, limit),
      size: () => inner.size(),
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
