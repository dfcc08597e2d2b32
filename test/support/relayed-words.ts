/**
 * What a person wrote, from the text Devin received for it: without the line naming its author (`Alice (via Slack): `
 * or however the author is named), so that a test about what is relayed does not depend on how people are named.
 */
export function relayedWords(relayed: string): string {
  return relayed.replace(/^[^\n]*?via Slack\)?:[ \n]/, '');
}
