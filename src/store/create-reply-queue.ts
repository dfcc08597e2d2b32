import type { ReplyQueue } from '../relay/ports/reply-queue';
import { RedisReplyQueue } from './redis/redis-reply-queue';
import { RedisStore } from './redis/redis-store';
import { SqliteReplyQueue } from './sqlite/sqlite-reply-queue';
import type { SqliteStore } from './sqlite/sqlite-store';

/** The reply queue that lives in the same store as everything else. */
export function createReplyQueue(store: SqliteStore | RedisStore): Promise<ReplyQueue> {
  if (store instanceof RedisStore) return Promise.resolve(new RedisReplyQueue(store));
  return Promise.resolve(SqliteReplyQueue.open(store.db, store.now));
}
