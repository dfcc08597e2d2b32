import type { Store } from '../relay/ports/store';
import type { RedisStore } from './redis/redis-store';
import { SqliteStore } from './sqlite/sqlite-store';

/**
 * `sqlite://<path>`, `redis://...` / `rediss://...`, or `memory://`. Redis's client (several hundred files) is
 * loaded only when the store is Redis.
 */
export async function createStore(url: string): Promise<SqliteStore | RedisStore> {
  if (url.startsWith('sqlite://')) return SqliteStore.open(url.slice('sqlite://'.length));
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const { RedisStore } = await import('./redis/redis-store');
    return RedisStore.connect(url);
  }
  if (url === 'memory://') return SqliteStore.open(':memory:');
  throw new Error(`unsupported STORE_URL scheme: ${url.split(':')[0]}`);
}

export type { Store };
