import type { ReplyDraft } from '../relay/types';
import { type NameDirectory, toPlainText } from './incoming-text';

export interface SlackFile {
  name?: string;
  title?: string;
}

const botMention = (botUserId: string) => new RegExp(`^\\s*<@${botUserId}(\\|[^>]*)?>\\s*`);

/** False when a message holds nothing for Devin (only a mention of the app, or blanks, and no files). */
export function hasWords(draft: ReplyDraft): boolean {
  const text = draft.botUserId ? draft.text.replace(botMention(draft.botUserId), '') : draft.text;
  return text.trim() !== '' || (draft.files?.length ?? 0) > 0;
}

/** The words Devin reads for a recorded Slack message, with names looked up (each lookup bounded by `names`). */
export async function draftWords(draft: ReplyDraft, names: NameDirectory & { nameOf(id: string): Promise<string> }) {
  const author = draft.user ? await names.nameOf(draft.user) : 'someone';
  return relayedText(author, draft.text, names, {
    ...(draft.botUserId ? { botUserId: draft.botUserId } : {}),
    ...(draft.files ? { files: draft.files } : {}),
  });
}

/** The words Devin reads for a Slack message: who wrote it, what they wrote, readable, and any files named. */
export async function relayedText(
  author: string,
  text: string,
  names: NameDirectory,
  options: { botUserId?: string; files?: SlackFile[] } = {},
): Promise<string> {
  const withoutBot = options.botUserId ? text.replace(botMention(options.botUserId), '') : text;
  const body = (await toPlainText(withoutBot, names)).trim();
  const files = (options.files ?? []).map((f) => f.name || f.title || 'file');
  const attached = files.length ? `\n(Attached in Slack, not forwarded: ${files.join(', ')})` : '';
  if (!body && !attached) return '';
  const separator = body.includes('\n') ? ':\n' : ': ';
  return `${author} (via Slack)${separator}${body}${attached}`;
}
