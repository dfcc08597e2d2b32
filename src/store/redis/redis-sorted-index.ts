import type { RedisClientType } from '@keyv/redis';
import type { SortedIndex } from '../../relay/ports/store';

/** What an index needs of its store: the client, and the store's way of running (and bounding) one call. */
export interface RedisCalls {
  readonly client: RedisClientType;
  run<T>(operation: string, key: string, work: () => Promise<T>): Promise<T>;
}

// KEYS: the set; ARGV: member, expected, score
const REPLACE = `
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if current and tonumber(current) == tonumber(ARGV[2]) then
  return redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
end
return redis.call('ZADD', KEYS[1], 'LT', ARGV[3], ARGV[1])`;

/** A sorted index as one Redis sorted set. */
export class RedisSortedIndex implements SortedIndex {
  constructor(
    private readonly store: RedisCalls,
    private readonly key: string,
  ) {}

  private get client() {
    return this.store.client;
  }

  async put(member: string, score: number): Promise<void> {
    await this.store.run('index put', this.key, () => this.client.zAdd(this.key, { score, value: member }));
  }

  async lower(member: string, score: number): Promise<void> {
    await this.store.run('index lower', this.key, () =>
      this.client.zAdd(this.key, { score, value: member }, { LT: true }),
    );
  }

  async replace(member: string, expected: number, score: number): Promise<void> {
    await this.store.run('index replace', this.key, () =>
      this.client.eval(REPLACE, { keys: [this.key], arguments: [member, String(expected), String(score)] }),
    );
  }

  async remove(member: string): Promise<void> {
    await this.store.run('index remove', this.key, () => this.client.zRem(this.key, member));
  }

  async score(member: string): Promise<number | undefined> {
    const score = await this.store.run('index score', this.key, () => this.client.zScore(this.key, member));
    return score ?? undefined;
  }

  upTo(max: number, limit: number): Promise<Array<{ member: string; score: number }>> {
    return this.store.run('index read', this.key, async () => {
      const rows = await this.client.zRangeByScoreWithScores(this.key, '-inf', max, {
        LIMIT: { offset: 0, count: limit },
      });
      return rows.map((row) => ({ member: String(row.value), score: row.score }));
    });
  }

  size(): Promise<number> {
    return this.store.run('index size', this.key, () => this.client.zCard(this.key));
  }
}
