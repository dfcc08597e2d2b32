import { type NameDirectory, toPlainText } from './incoming-text';

export interface SlackFile {
  name?: string;
  title?: string;
}

/** The words Devin reads for a Slack message: who wrote it, what they wrote, readable, and any files named. */
export async function relayedText(
  author: string,
  text: string,
  names: NameDirectory,
  options: { botUserId?: string; files?: SlackFile[] } = {},
): Promise<string> {
  const withoutBot = options.botUserId
    ? text.replace(new RegExp(`^\\s*<@${options.botUserId}(\\|[^>]*)?>\\s*`), '')
    : text;
  const body = (await toPlainText(withoutBot, names)).trim();
  const files = (options.files ?? []).map((f) => f.name || f.title || 'file');
  const attached = files.length ? `\n(Attached in Slack, not forwarded: ${files.join(', ')})` : '';
  if (!body && !attached) return '';
  const separator = body.includes('\n') ? ':\n' : ': ';
  return `${author} (via Slack)${separator}${body}${attached}`;
}
