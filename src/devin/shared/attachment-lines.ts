/**
 * The one form in which Devin names a file in a message's words: a line of its own, `ATTACHMENT:"<url>"`. API v1
 * reads files only this way; Devin writes its own messages' files this way too (or links to them).
 */
export const attachmentLine = (url: string) => `ATTACHMENT:"${url}"`;

/** Tells Devin's attachment links from other links. */
export type IsAttachment = (url: string) => boolean;

const ATTACHMENT_LINE = /^[ \t]*ATTACHMENT:"([^"\s]+)"[ \t]*$/;
const URL_IN_TEXT = /https?:\/\/[^\s<>()[\]"'`|]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;

/**
 * The words, then one `ATTACHMENT:"<url>"` line per file not already named by one (a text recorded by an earlier
 * version may hold its lines already): what API v1 reads as attached files.
 */
export function withAttachmentLines(text: string, urls: readonly string[] | undefined): string {
  const present = new Set(text.split('\n').map((line) => ATTACHMENT_LINE.exec(line)?.[1]));
  const lines = (urls ?? []).filter((url) => !present.has(url)).map(attachmentLine);
  if (lines.length === 0) return text;
  return [text, ...lines].filter((line) => line !== '').join('\n');
}

/**
 * The attachment URLs in one of Devin's messages (its `ATTACHMENT:` lines and links alike), in order and each once, and
 * the text without the `ATTACHMENT:` lines of those URLs (the files themselves are shown instead).
 */
export function attachmentsIn(text: string, isAttachment: IsAttachment): { urls: string[]; text: string } {
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
