const ELLIPSIS = '…';

export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function quoteBlock(text: string, maxChars: number): string {
  if (!(maxChars >= 1) || text === '') return '';
  const quoted = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  if (quoted.length <= maxChars) return quoted;
  return `${cutAt(quoted, Math.floor(maxChars) - ELLIPSIS.length)}${ELLIPSIS}`;
}

/** The text, cut to at most `maxChars` characters (an ellipsis marks the cut; a surrogate pair is never split). */
export function shorten(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${cutAt(text, Math.floor(maxChars) - ELLIPSIS.length)}${ELLIPSIS}`;
}

function cutAt(text: string, length: number): string {
  let cut = text.slice(0, Math.max(0, length));
  const lastCode = cut.charCodeAt(cut.length - 1);
  if (lastCode >= 0xd800 && lastCode <= 0xdbff) cut = cut.slice(0, -1);
  return cut.replace(/\n(?:> ?)?$/, '').trimEnd();
}
