/** Words for Slack's mrkdwn, escaped once on their way out: `&`, `<` and `>` show as themselves and cannot ping. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
