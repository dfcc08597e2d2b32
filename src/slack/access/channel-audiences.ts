import type { webApi } from '@slack/bolt';
import { bounded } from '../../lib/bounded';
import type { Logger } from '../../lib/logger';
import { TtlCache } from '../../lib/ttl-cache';

/** How long a channel's member list is trusted. */
const MEMBERS_TTL_MS = 60_000;
/** How long a check waits for Slack before it counts the answer as unknown (Slack wants its answer in 3 s). */
export const LOOKUP_MS = 2000;
const MAX_ENTRIES = 5000;

export const slackIsLate = (): never => {
  throw new Error(`Slack did not answer within ${LOOKUP_MS} ms`);
};

/** Who can read a conversation: its members only (private channels, direct messages), and people of other workspaces. */
export interface Audience {
  private: boolean;
  shared: boolean;
}

export interface ChannelAudiencesDeps {
  client: webApi.WebClient;
  log: Logger;
  now?: () => number;
}

/** Who is in a channel and who reads it, as Slack says, cached for a minute and bounded in time. */
export class ChannelAudiences {
  private readonly members: TtlCache<Set<string>>;
  private readonly audiences: TtlCache<Audience>;

  constructor(private readonly deps: ChannelAudiencesDeps) {
    const cache = { ttlMs: MEMBERS_TTL_MS, max: MAX_ENTRIES, ...(deps.now ? { now: deps.now } : {}) };
    this.members = new TtlCache(cache);
    this.audiences = new TtlCache(cache);
  }

  /** True when Slack lists the person in the channel (false when it cannot say: fail closed). */
  async isMember(userId: string, channel: string): Promise<boolean> {
    const hit = this.members.get(channel);
    if (hit) return hit.value.has(userId);
    try {
      const ids = await bounded(LOOKUP_MS, this.memberList(channel), slackIsLate);
      this.members.set(channel, ids);
      return ids.has(userId);
    } catch (error) {
      this.deps.log.warn(
        { channel_id: channel, err: error },
        'could not list the channel members; treating the person as outside',
      );
      return false;
    }
  }

  /**
   * Who can read the conversation (`conversations.info`, cached for a minute); undefined when Slack cannot say (the
   * caller fails closed).
   */
  async audience(channel: string): Promise<Audience | undefined> {
    const hit = this.audiences.get(channel);
    if (hit) return hit.value;
    try {
      const answer = await bounded(LOOKUP_MS, this.deps.client.conversations.info({ channel }), slackIsLate);
      const c = answer.channel;
      if (!c) return undefined;
      const audience = {
        private: c.is_private === true || c.is_im === true || c.is_mpim === true,
        shared: c.is_ext_shared === true || c.is_shared === true || c.is_org_shared === true,
      };
      this.audiences.set(channel, audience);
      return audience;
    } catch (error) {
      this.deps.log.warn(
        { channel_id: channel, err: error },
        'could not tell who reads a channel; treating it as the narrowest',
      );
      return undefined;
    }
  }

  private async memberList(channel: string): Promise<Set<string>> {
    const ids = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.deps.client.conversations.members({
        channel,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const id of page.members ?? []) ids.add(id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return ids;
  }
}
