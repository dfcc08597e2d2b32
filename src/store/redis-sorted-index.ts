import type { RedisClientType } from '@keyv/redis';
import { guard, type SortedIndex } from './store';

/** A sorted index as one Redis sorted set. */
export class RedisSortedIndex implements SortedIndex {
  constructor(
    private readonly client: RedisClientType,
    private readonly key: string,
  ) {}

  async put(member: string, score: number): Promise<void> {
    await guard('index put', this.key, () => this.client.zAdd(this.key, { score, value: member }));
  }

  async lower(member: string, score: number): Promise<void> {
    await guard('index lower', this.key, () => this.client.zAdd(this.key, { score, value: member }, { LT: true }));
  }

  async remove(member: string): Promise<void> {
    await guard('index remove', this.key, () => this.client.zRem(this.key, member));
  }

  async score(member: string): Promise<number | undefined> {
    const score = await guard('index score', this.key, () => this.client.zScore(this.key, member));
    return score ?? undefined;
  }

  upTo(max: number, limit: number): Promise<Array<{ member: string; score: number }>> {
    return guard('index read', this.key, async () => {
      const rows = await this.client.zRangeByScoreWithScores(this.key, '-inf', max, {
        LIMIT: { offset: 0, count: limit },
      });
      return rows.map((row) => ({ member: String(row.value), score: row.score }));
    });
  }

  size(): Promise<number> {
    return guard('index size', this.key, () => this.client.zCard(this.key));
  }
}
