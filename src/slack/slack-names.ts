import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger';
import type { NameDirectory } from './incoming-text';

const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 5000;

/** Display names of people and channels, cached for an hour; a failed lookup falls back to the id. */
export class SlackNames implements NameDirectory {
  private readonly cache = new Map<string, { name: string | undefined; at: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The person's display name, or their id when Slack cannot say. */
  async nameOf(userId: string): Promise<string> {
    return (await this.userName(userId)) ?? userId;
  }

  userName(userId: string): Promise<string | undefined> {
    return this.cached(`user:${userId}`, async () => {
      const answer = await this.client.users.info({ user: userId });
      const profile = answer.user?.profile;
      return profile?.display_name || profile?.real_name || answer.user?.real_name || answer.user?.name || undefined;
    });
  }

  channelName(channelId: string): Promise<string | undefined> {
    return this.cached(`channel:${channelId}`, async () => {
      const answer = await this.client.conversations.info({ channel: channelId });
      return answer.channel?.name || undefined;
    });
  }

  /**
   * The same directory, where a lookup that takes longer than `ms` shows the id: a reply on its way to Devin waits for
   * names only that long, whatever Slack is doing.
   */
  within(ms: number): NameDirectory & { nameOf(userId: string): Promise<string> } {
    const bounded = <T>(lookup: Promise<T>, fallback: T): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<T>((resolve) => {
        timer = setTimeout(() => resolve(fallback), ms);
        timer.unref();
      });
      return Promise.race([lookup, late]).finally(() => clearTimeout(timer));
    };
    return {
      nameOf: (userId) => bounded(this.nameOf(userId), userId),
      userName: (userId) => bounded(this.userName(userId), undefined),
      channelName: (channelId) => bounded(this.channelName(channelId), undefined),
    };
  }

  private async cached(key: string, look: () => Promise<string | undefined>): Promise<string | undefined> {
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < TTL_MS) return hit.name;
    let name: string | undefined;
    try {
      name = await look();
    } catch (error) {
      this.log.debug({ key, err: error }, 'name lookup failed; showing the id');
      return undefined;
    }
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { name, at: this.now() });
    return name;
  }
}
