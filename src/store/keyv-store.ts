import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { Keyv } from 'keyv';
import { KeyedMutex } from './keyed-mutex';
import { guard, type Store } from './store';

/**
 * A store for one process: SQLite (the process owns the file) or memory. Claims are made atomic by an
 * in-process lock around read-then-write, which is sound because no other process writes the same file.
 */
export class KeyvStore implements Store {
  readonly shared = false;
  private readonly claims = new KeyedMutex();

  constructor(private readonly keyv: Keyv) {}

  static async sqlite(path: string): Promise<KeyvStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: 'devin_slack', busyTimeout: 5000 });
    // Write-ahead log: a write costs one append instead of a rewrite and sync of the journal.
    await guard('open', path, async () => {
      await adapter.query('PRAGMA journal_mode = WAL');
      await adapter.query('PRAGMA synchronous = NORMAL');
    });
    return new KeyvStore(new Keyv({ store: adapter, namespace: 'devin-slack', throwOnErrors: true }));
  }

  static memory(): KeyvStore {
    return new KeyvStore(new Keyv({ store: new Map(), namespace: 'devin-slack', throwOnErrors: true }));
  }

  get<T>(key: string): Promise<T | undefined> {
    return guard('get', key, () => this.keyv.get<T>(key));
  }

  async set(key: string, value: unknown, ttlMs?: number): Promise<void> {
    await guard('set', key, () => this.keyv.set(key, value, ttlMs));
  }

  async delete(key: string): Promise<void> {
    await guard('delete', key, () => this.keyv.delete(key));
  }

  claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.claims.run(key, async () => {
      if ((await this.get<string>(key)) !== undefined) return false;
      await this.set(key, owner, ttlMs);
      return true;
    });
  }

  async claimed(key: string): Promise<boolean> {
    return (await this.get<string>(key)) !== undefined;
  }

  release(key: string, owner: string): Promise<void> {
    return this.claims.run(key, async () => {
      if ((await this.get<string>(key)) === owner) await this.delete(key);
    });
  }

  async close(): Promise<void> {
    await guard('close', '-', () => this.keyv.disconnect());
  }
}
