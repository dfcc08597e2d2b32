/** Words for Slack's mrkdwn, escaped once on their way out: `&`, `<` and `>` show as themselves and cannot ping. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slack link to `url` shown as `label` (escaped); the URL is one the app made or checked. */
export function slackLink(url: string, label: string): string {
  return `<${url}|${escapeSlackText(label)}>`;
}
