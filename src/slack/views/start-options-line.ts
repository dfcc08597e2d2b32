import type { NamedRef, StartOptions } from '../../relay/model/start-options';
import { escapeSlackText } from '../text/outgoing-text';
import { fitEscaped, fitMrkdwn } from '../text/slack-fit';

/** The room the options take on a root message: what is left for the task and the status line is ample. */
export const OPTIONS_LINE_LIMIT = 700;
/** The room one value takes (a playbook's title, a tag): a long one is cut, the others still shown. */
const VALUE_LIMIT = 80;

/** A value as shown: Slack's markup escaped, cut, in code so that no markup of its own applies. */
function value(text: string): string {
  return `\`${fitEscaped(text.replace(/`/g, "'").replace(/\s+/g, ' '), VALUE_LIMIT)}\``;
}

function named(ref: NamedRef): string {
  return ref.name ? `${value(ref.name)} (${value(ref.id)})` : value(ref.id);
}

/**
 * The options a session started with, as the root message shows them (one line, within `OPTIONS_LINE_LIMIT`):
 * `Options: playbook `Fix CI` · repo `acme/web` · tag `urgent` · mode fast · up to 10 ACUs`. Undefined when none.
 */
export function startOptionsLine(options: StartOptions | undefined, label = 'Options'): string | undefined {
  if (!options) return undefined;
  const parts = [
    ...(options.playbook ? [`playbook ${named(options.playbook)}`] : []),
    ...(options.repos?.length ? [`repo ${options.repos.map(value).join(', ')}`] : []),
    ...(options.tags?.length ? [`tag ${options.tags.map(value).join(', ')}`] : []),
    ...(options.mode ? [`mode ${options.mode}`] : []),
    ...(options.snapshot ? [`snapshot ${named(options.snapshot)}`] : []),
    ...(options.maxAcu ? [`up to ${options.maxAcu} ACUs`] : []),
  ];
  if (parts.length === 0) return undefined;
  return fitMrkdwn(`${escapeSlackText(label)}: ${parts.join(' · ')}`, OPTIONS_LINE_LIMIT);
}
