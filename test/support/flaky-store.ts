import { type SortedIndex, type Store, StoreError } from '../../src/store/store';

export type FlakyOp = 'get' | 'set' | 'delete' | 'claim' | 'claimed' | 'index put' | 'index remove';

interface Rule {
  op: FlakyOp;
  prefix: string;
  skip: number;
  times: number;
}

/** A store that fails chosen calls as an unreachable store does (with a `StoreError`), and passes the rest through. */
export class FlakyStore implements Store {
  /** The calls that were made to fail, as `op key`. */
  readonly failed: string[] = [];
  private readonly rules: Rule[] = [];

  constructor(private readonly inner: Store) {}

  get shared(): boolean {
    return this.inner.shared;
  }

  /** The next `times` calls of `op` on keys starting with `prefix` fail, once `skip` of them went through. */
  failNext(op: FlakyOp, prefix: string, options: { times?: number; skip?: number } = {}): void {
    this.rules.push({ op, prefix, skip: options.skip ?? 0, times: options.times ?? 1 });
  }

  async get<T>(key: string): Promise<T | undefined> {
    this.check('get', key);
    return this.inner.get<T>(key);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.check('set', key);
    return this.inner.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.check('delete', key);
    return this.inner.delete(key);
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    this.check('claim', key);
    return this.inner.claim(key, owner, ttlMs);
  }

  async claimed(key: string): Promise<boolean> {
    this.check('claimed', key);
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
    return {
      put: async (member, score) => {
        this.check('index put', `${name}:${member}`);
        return inner.put(member, score);
      },
      lower: (member, score) => inner.lower(member, score),
      replace: (member, expected, score) => inner.replace(member, expected, score),
      remove: async (member) => {
        this.check('index remove', `${name}:${member}`);
        return inner.remove(member);
      },
      score: (member) => inner.score(member),
      upTo: (max, limit) => inner.upTo(max, limit),
      size: () => inner.size(),
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private check(op: FlakyOp, key: string): void {
    const rule = this.rules.find((r) => r.op === op && key.startsWith(r.prefix) && r.times > 0);
    if (!rule) return;
    if (rule.skip > 0) {
      rule.skip -= 1;
      return;
    }
    rule.times -= 1;
    this.failed.push(`${op} ${key}`);
    throw new StoreError(`store ${op} failed for ${key}: connection lost (test)`, op, key);
  }
}
