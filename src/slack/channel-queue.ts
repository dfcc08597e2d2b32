import type { Clock } from '../relay/clock';

/** Slack allows about one message per second per channel, and answers 429 with `Retry-After` beyond that. */
export interface ChannelQueueOptions {
  clock: Clock;
  spacingMs: number;
  /** How many 429 answers one post may get before it fails. */
  maxRateLimited: number;
}

/**
 * Posts to one channel one after another, at most one per `spacingMs`, waiting as long as Slack's 429 says: a burst
 * of messages arrives complete and in order. Channels do not wait for each other.
 */
export class ChannelQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastPostAt = new Map<string, number>();

  constructor(private readonly options: ChannelQueueOptions) {}

  post<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.paced(channel, send));
    this.tails.set(channel, next);
    void next
      .finally(() => {
        if (this.tails.get(channel) === next) this.tails.delete(channel);
      })
      .catch(() => undefined);
    return next;
  }

  private async paced<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const { clock, spacingMs, maxRateLimited } = this.options;
    for (let limited = 0; ; limited += 1) {
      const wait = (this.lastPostAt.get(channel) ?? Number.NEGATIVE_INFINITY) + spacingMs - clock.now();
      if (wait > 0) await clock.sleep(wait);
      try {
        const result = await send();
        this.lastPostAt.set(channel, clock.now());
        return result;
      } catch (error) {
        const retryAfterSec = (error as { retryAfter?: number }).retryAfter;
        if (typeof retryAfterSec !== 'number' || limited >= maxRateLimited) throw error;
        this.lastPostAt.set(channel, clock.now());
        await clock.sleep(retryAfterSec * 1000);
      }
    }
  }
}
