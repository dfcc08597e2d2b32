import { createClient } from '@keyv/redis';

/**
 * A Redis database of the test file's own, emptied first: test files run at the same time, and app instances on one
 * database resume each other's deliveries and polls (through other fakes). CI's Redis keeps nothing on disk.
 */
export async function freshRedisUrl(database: number): Promise<string> {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  url.pathname = `/${database}`;
  const client = createClient({ url: url.toString() });
  await client.connect();
  try {
    await client.flushDb();
  } finally {
    await client.close();
  }
  return url.toString();
}
