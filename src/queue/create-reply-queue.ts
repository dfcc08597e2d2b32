import { RedisStore } from '../store/redis-store';
import type { SqliteStore } from '../store/sqlite-store';
import { RedisReplyQueue } from './redis-reply-queue';
import type { ReplyQueue } from './reply-queue';
import { SqliteReplyQueue } from './sqlite-reply-queue';

/** The reply queue that lives in the same store as everything else. */
export function createReplyQueue(store: SqliteStore | RedisStore): Promise<ReplyQueue> {
  if (store instanceof RedisStore) return Promise.resolve(new RedisReplyQueue(store));
  return Promise.resolve(SqliteReplyQueue.open(store.db, store.now));
}
