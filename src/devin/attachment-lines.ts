import type { FileOutcome } from '../relay/model/types';

/** The one form in which Devin sees a file: a line of its own, the URL in double quotes. */
export const attachmentLine = (url: string) => `ATTACHMENT:"${url}"`;

const ATTACHMENT_LINE = /^[ \t]*ATTACHMENT:"([^"\s]+)"[ \t]*$/;
const URL_IN_TEXT = /https?:\/\/[^\s<>()[\]"'`|]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;

/**
 * A file name as it may appear in a line Devin reads or a note: no line breaks, quotes or control characters (a name
 * must not be able to start an `ATTACHMENT:` line of its own), at most 120 characters.
 */
export function plainFileName(name: string): string {
  const plain = name
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
    .replace(/"/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return (plain || 'file').slice(0, 120);
}

/**
 * A message's words and the URLs of its `ATTACHMENT:` lines, apart: API v3 takes files as `attachment_urls` beside the
 * message, and lists the message without them.
 */
export function splitAttachmentLines(text: string): { text: string; urls: string[] } {
  const urls: string[] = [];
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    const url = ATTACHMENT_LINE.exec(line)?.[1];
    if (url) urls.push(url);
    else kept.push(line);
  }
  return { text: urls.length ? kept.join('\n').trimEnd() : text, urls };
}

/**
 * The words Devin reads for a message with files: its text, a line for each file that could not be attached, then one
 * `ATTACHMENT:"<url>"` line per file that was.
 */
export function withAttachments(text: string, outcomes: FileOutcome[]): string {
  const problems = outcomes.flatMap((o) =>
    'problem' in o ? [`(Could not attach "${plainFileName(o.name)}": ${o.problem}.)`] : [],
  );
  const lines = outcomes.flatMap((o) => ('url' in o ? [attachmentLine(o.url)] : []));
  return [text, ...problems, ...lines].filter((line) => line !== '').join('\n');
}

/**
 * The attachment URLs in one of Devin's messages (its `ATTACHMENT:` lines and links alike), in order and each once, and
 * the text without the `ATTACHMENT:` lines of those URLs (the files themselves are shown instead).
 */
export function attachmentsIn(text: string, isAttachment: (url: string) => boolean): { urls: string[]; text: string } {
  const urls: string[] = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    if (isAttachment(url) && !urls.includes(url)) urls.push(url);
  }
  if (urls.length === 0) return { urls, text };
  const kept = text.split('\n').filter((line) => {
    const url = ATTACHMENT_LINE.exec(line)?.[1];
    return url === undefined || !urls.includes(url);
  });
  return { urls, text: kept.join('\n').trim() };
}
