import type { Clock } from '../lib/clock';
import type { StartOptions } from './model/start-options';
import type { Lock } from './ports/leases';
import type { Store } from './ports/store';
import { CHANNEL_SETTINGS_INDEX, channelSettingsKey } from './ports/store-keys';

/**
 * What a channel sets for the sessions started in it (`/devin config`). `defaults` are start options as Devin takes
 * them (names already looked up); other settings of a channel (a daily budget...) are further fields beside them,
 * each kept by its own `/devin config` key.
 */
export interface ChannelSettingsRecord {
  defaults?: StartOptions;
  /** Who last changed the settings (their Slack id), and when (ms since the epoch). */
  changedBy?: string;
  changedAt?: number;
  [setting: string]: unknown;
}

/** A channel, as settings are kept for it. */
export interface ChannelRef {
  team: string;
  channel: string;
}

/**
 * Every channel's settings, one record each in the store, changed under a lock (two admins at once lose nothing),
 * and indexed so that the App Home can list the channels that have some.
 */
export class ChannelSettings {
  constructor(private readonly deps: { store: Store; lock: Lock; clock: Clock }) {}

  async get(at: ChannelRef): Promise<ChannelSettingsRecord> {
    return (await this.deps.store.get<ChannelSettingsRecord>(channelSettingsKey(at.team, at.channel))) ?? {};
  }

  /** The channel's defaults for sessions started there (none: `{}`). */
  async defaults(at: ChannelRef): Promise<StartOptions> {
    return (await this.get(at)).defaults ?? {};
  }

  /** Changes the record (read, changed, written under the channel's lock) and returns it as written. */
  update(
    at: ChannelRef,
    userId: string,
    change: (record: ChannelSettingsRecord) => ChannelSettingsRecord,
  ): Promise<ChannelSettingsRecord> {
    const key = channelSettingsKey(at.team, at.channel);
    return this.deps.lock.run(key, async () => {
      const now = this.deps.clock.now();
      const next = { ...change(await this.get(at)), changedBy: userId, changedAt: now };
      await this.deps.store.set(key, next);
      await this.deps.store.index(CHANNEL_SETTINGS_INDEX).put(`${at.team}:${at.channel}`, now);
      return next;
    });
  }

  /** The channels with settings, most recently changed last, at most `limit`. */
  async channels(limit: number): Promise<ChannelRef[]> {
    const listed = await this.deps.store.index(CHANNEL_SETTINGS_INDEX).upTo(Number.MAX_SAFE_INTEGER, limit);
    return listed.flatMap(({ member }) => {
      const [team, channel] = member.split(':');
      return team && channel ? [{ team, channel }] : [];
    });
  }
}
