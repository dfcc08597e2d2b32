import type { ReplyQueue } from '../relay/ports/reply-queue';
import type { RedisStore } from './redis/redis-store';
import { SqliteReplyQueue } from './sqlite/sqlite-reply-queue';
import { SqliteStore } from './sqlite/sqlite-store';

/** The reply queue that lives in the same store as everything else (Redis's loaded only when the store is Redis). */
export async function createReplyQueue(store: SqliteStore | RedisStore): Promise<ReplyQueue> {
  if (store instanceof SqliteStore) return SqliteReplyQueue.open(store.db, store.now);
  const { RedisReplyQueue } = await import('./redis/redis-reply-queue');
  return new RedisReplyQueue(store);
}
