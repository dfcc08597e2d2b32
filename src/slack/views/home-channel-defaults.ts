import type { types } from '@slack/bolt';
import type { StartOptions } from '../../relay/model/start-options';
import { fitMrkdwn, SLACK_LIMITS } from '../text/slack-fit';
import { startOptionsLine } from './start-options-line';

/** A channel the person is in, with its defaults for sessions started there. */
export interface ChannelDefaultsEntry {
  channel: string;
  defaults: StartOptions;
}

/** At most this many channels are listed. */
export const HOME_DEFAULT_CHANNELS = 10;

/**
 * The App Home's section on channel defaults (`/devin config`): each of the person's channels that has some, on a line
 * of its own, within one section's 3,000 characters. Nothing when none has.
 */
export function homeChannelDefaultsBlocks(entries: ChannelDefaultsEntry[] | undefined): types.KnownBlock[] {
  const lines = (entries ?? []).slice(0, HOME_DEFAULT_CHANNELS).flatMap(({ channel, defaults }) => {
    const line = startOptionsLine(defaults, 'defaults');
    return line && /^[CGD][A-Z0-9]+$/.test(channel) ? [`• <#${channel}> ${line}`] : [];
  });
  if (lines.length === 0) return [];
  return [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Channel defaults' } },
    { type: 'section', text: { type: 'mrkdwn', text: fitMrkdwn(lines.join('\n'), SLACK_LIMITS.textObject) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Sessions started in these channels begin with these options unless the start gives its own; `/devin config` in a channel shows and changes them.',
        },
      ],
    },
  ];
}
