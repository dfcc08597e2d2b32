/**
 * What a person wrote, from the text Devin received for it: without the line naming its author (`Alice (via Slack): `
 * or however the author is named), and without the quote marks of words of several lines, so that a test about what is
 * relayed does not depend on how people are named.
 */
export function relayedWords(relayed: string): string {
  const inline = /^[^\n]*?via Slack\)?: /.exec(relayed);
  if (inline) return relayed.slice(inline[0].length);
  const below = /^[^\n]*?via Slack\)?:\n/.exec(relayed);
  if (!below) return relayed;
  return relayed
    .slice(below[0].length)
    .split('\n')
    .map((line) => line.replace(/^> /, ''))
    .join('\n');
}
