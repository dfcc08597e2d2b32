import type { webApi } from '@slack/bolt';
import { bounded } from '../../lib/bounded';
import type { Logger } from '../../lib/logger';
import { TtlCache } from '../../lib/ttl-cache';
import type { SlackPerson } from '../text/author-label';
import type { PeopleDirectory } from '../text/incoming-text';

const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 5000;

interface Profile {
  displayName?: string | undefined;
  realName?: string | undefined;
  handle?: string | undefined;
  /** Only with the `users:read.email` scope. */
  email?: string | undefined;
  /** What access checks need: the account's kind and workspace. */
  account: SlackAccount;
  /** The person's IANA time zone (`users.info` `tz`). */
  timeZone?: string | undefined;
}

/** What Slack says of an account: a member, a guest (restricted), a bot or app, or unknown (deleted). */
export interface SlackAccount {
  kind: 'member' | 'guest' | 'bot' | 'unknown';
  teamId?: string | undefined;
}

/** Names of people and channels, cached for an hour; a failed lookup falls back to the id. */
export class SlackNames implements PeopleDirectory {
  private readonly cache: TtlCache<unknown>;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    now: () => number = Date.now,
  ) {
    this.cache = new TtlCache({ ttlMs: TTL_MS, max: MAX_ENTRIES, now });
  }

  /** The person's display name, or their id when Slack cannot say. */
  async nameOf(userId: string): Promise<string> {
    return (await this.userName(userId)) ?? userId;
  }

  async userName(userId: string): Promise<string | undefined> {
    const profile = await this.profile(userId);
    return profile?.displayName || profile?.realName || profile?.handle || undefined;
  }

  /** The person's real name and handle beside their id; only the id when Slack cannot say. */
  async personOf(userId: string): Promise<SlackPerson> {
    const profile = await this.profile(userId);
    return {
      id: userId,
      ...(profile?.realName ? { realName: profile.realName } : {}),
      ...(profile?.handle ? { handle: profile.handle } : {}),
    };
  }

  /** The person's email address (Slack answers it only with the `users:read.email` scope); undefined when none. */
  async emailOf(userId: string): Promise<string | undefined> {
    return (await this.profile(userId))?.email || undefined;
  }

  /** The person's account (one cached `users.info` answer serves names and access); undefined when Slack cannot say. */
  async accountOf(userId: string): Promise<SlackAccount | undefined> {
    return (await this.profile(userId))?.account;
  }

  /** The person's time zone as Slack gives it (`America/New_York`); undefined when Slack cannot say. */
  async timeZoneOf(userId: string): Promise<string | undefined> {
    return (await this.profile(userId))?.timeZone || undefined;
  }

  /** The account as last looked up, without asking Slack (undefined when not looked up within the hour). */
  knownAccount(userId: string): SlackAccount | undefined {
    return (this.cache.get(`user:${userId}`)?.value as Profile | undefined)?.account;
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
  within(ms: number): PeopleDirectory & { nameOf(userId: string): Promise<string> } {
    const within = <T>(lookup: Promise<T>, fallback: T): Promise<T> => bounded(ms, lookup, () => fallback);
    return {
      nameOf: (userId) => within(this.nameOf(userId), userId),
      userName: (userId) => within(this.userName(userId), undefined),
      personOf: (userId) => within(this.personOf(userId), { id: userId }),
      channelName: (channelId) => within(this.channelName(channelId), undefined),
    };
  }

  private profile(userId: string): Promise<Profile | undefined> {
    return this.cached(`user:${userId}`, async () => {
      const answer = await this.client.users.info({ user: userId });
      const user = answer.user;
      if (!user) return undefined;
      const kind =
        user.is_bot || user.is_app_user
          ? 'bot'
          : user.is_restricted || user.is_ultra_restricted
            ? 'guest'
            : user.deleted
              ? 'unknown'
              : 'member';
      return {
        displayName: user.profile?.display_name,
        realName: user.profile?.real_name || user.real_name,
        handle: user.name,
        email: user.profile?.email,
        account: { kind, teamId: user.team_id },
        timeZone: user.tz,
      };
    });
  }

  private async cached<T>(key: string, look: () => Promise<T | undefined>): Promise<T | undefined> {
    const hit = this.cache.get(key);
    if (hit) return hit.value as T | undefined;
    let value: T | undefined;
    try {
      value = await look();
    } catch (error) {
      this.log.debug({ key, err: error }, 'name lookup failed; showing the id');
      return undefined;
    }
    this.cache.set(key, value);
    return value;
  }
}
