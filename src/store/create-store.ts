import { KeyvStore } from './keyv-store';
import { RedisStore } from './redis-store';
import type { Store } from './store';

/** `sqlite://<path>`, `redis://...` / `rediss://...`, or `memory://`. */
export async function createStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite://')) return KeyvStore.sqlite(url.slice('sqlite://'.length));
  if (url.startsWith('redis://') || url.startsWith('rediss://')) return RedisStore.connect(url);
  if (url === 'memory://') return KeyvStore.memory();
  throw new Error(`unsupported STORE_URL scheme: ${url.split(':')[0]}`);
}
