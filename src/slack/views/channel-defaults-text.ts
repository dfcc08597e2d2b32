import type { StartOptions } from '../../relay/model/start-options';
import { startOptionsLine } from './start-options-line';

export const CONFIG_EXAMPLE = '/devin config playbook:"Fix CI" repo:acme/web tag:team-web mode:fast acu:10';

/** A channel's defaults as `/devin config` shows them (mrkdwn, one or two lines, within Slack's limits). */
export function channelDefaultsText(defaults: StartOptions | undefined): string {
  const line = startOptionsLine(defaults, 'Defaults for sessions started in this channel');
  if (!line) return `This channel has no defaults for Devin sessions; set some with \`${CONFIG_EXAMPLE}\`.`;
  return `${line}\nOptions given at a start win over them; \`/devin config clear [key]\` removes them.`;
}
