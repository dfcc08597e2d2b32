import type { ReplyDraft } from '../../relay/model/replies';
import { authorLabel, type SlackPerson } from './author-label';
import { type NameDirectory, type PeopleDirectory, toPlainText } from './incoming-text';

const botMention = (botUserId: string) => new RegExp(`^\\s*<@${botUserId}(\\|[^>]*)?>\\s*`);

/** A line break in any of its forms (a reader may start a new line at each). */
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;

/**
 * Every line of a person's words behind `prefix` (`> ` by default), so that no line of them can begin like an author
 * line (or like a line that names a file to Devin) in what Devin reads.
 */
export function quotedLines(text: string, prefix = '> '): string {
  return text
    .split(LINE_BREAK)
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** True when the words hold a line break of any kind. */
export function isMultiline(text: string): boolean {
  return LINE_BREAK.test(text);
}

/** False when a message holds nothing for Devin (only a mention of the app, or blanks, and no files). */
export function hasWords(draft: ReplyDraft): boolean {
  const text = draft.botUserId ? draft.text.replace(botMention(draft.botUserId), '') : draft.text;
  return text.trim() !== '' || (draft.files?.length ?? 0) > 0;
}

/**
 * The words Devin reads for a recorded Slack message, with names looked up (each lookup bounded by `names`). Its files
 * travel beside these words once uploaded (see `ReplyAttachments`); a message of files alone says so.
 */
export async function draftWords(draft: ReplyDraft, names: PeopleDirectory) {
  const author = draft.user ? await names.personOf(draft.user) : undefined;
  return relayedText(author, draft.text, names, {
    ...(draft.botUserId ? { botUserId: draft.botUserId } : {}),
    ...(draft.files?.length ? { files: draft.files.length } : {}),
    ...(draft.writtenBy ? { writtenBy: await names.personOf(draft.writtenBy) } : {}),
  });
}

/**
 * The words Devin reads for a Slack message: who wrote it and what they wrote, readable (`files`: how many files came
 * with it, for a message of files alone). The author line names the person so that no name can forge it:
 * `Alice Example (@alice, U0123) via Slack: …` (see `authorLabel`), `U0123 via Slack: …` when Slack could not say who
 * that is, `someone via Slack: …` for a message without a user. A message someone else sends (`writtenBy` its author)
 * names both, the one who sent it first: `Bob (@bob, U2) via Slack, sending a message by Alice (@alice, U1): …`.
 *
 * Words of one line follow the author line; words of several lines go below it, every line quoted (`> `), so that
 * no line of what a person wrote can pass for another author line.
 */
export async function relayedText(
  author: SlackPerson | undefined,
  text: string,
  names: NameDirectory,
  options: { botUserId?: string; files?: number; writtenBy?: SlackPerson } = {},
): Promise<string> {
  const withoutBot = options.botUserId ? text.replace(botMention(options.botUserId), '') : text;
  const words = (await toPlainText(withoutBot, names)).trim();
  const files = options.files ?? 0;
  const body = words || (files > 0 ? `(sent ${files === 1 ? 'a file' : `${files} files`})` : '');
  if (!body) return '';
  const sender = `${author ? authorLabel(author) : 'someone'} via Slack`;
  const writer =
    options.writtenBy && options.writtenBy.id !== author?.id
      ? `, sending a message by ${authorLabel(options.writtenBy)}`
      : '';
  return isMultiline(body) ? `${sender}${writer}:\n${quotedLines(body)}` : `${sender}${writer}: ${body}`;
}
