/** A session prompt without its last line, the link to the Slack message that asked (unique to each request). */
export function withoutOrigin(prompt: unknown): string {
  return String(prompt).replace(/\n\nAsked in Slack: [^\n]*$/, '');
}
