import type { ChannelSettings } from '../../relay/channel-settings';
import type { Person } from '../../relay/person-sessions';
import type { SlackAccess } from '../access/slack-access';
import { type ChannelDefaultsEntry, HOME_DEFAULT_CHANNELS } from '../views/home-channel-defaults';

/** How many channels with settings are looked at for one person's App Home. */
const LOOKED_AT = 50;

/**
 * The defaults of the channels with settings that the person is in (Slack lists them as a member: a channel they
 * cannot read shows nothing of its settings), at most `HOME_DEFAULT_CHANNELS`.
 */
export async function channelDefaultsOf(
  settings: Pick<ChannelSettings, 'channels' | 'defaults'>,
  access: Pick<SlackAccess, 'isMember'>,
  person: Person,
): Promise<ChannelDefaultsEntry[]> {
  const found: ChannelDefaultsEntry[] = [];
  for (const at of await settings.channels(LOOKED_AT)) {
    if (found.length >= HOME_DEFAULT_CHANNELS) break;
    if (at.team !== person.team) continue;
    const defaults = await settings.defaults(at);
    if (Object.keys(defaults).length === 0) continue;
    if (await access.isMember(person.userId, at.channel)) found.push({ channel: at.channel, defaults });
  }
  return found;
}
