/**
 * The values `.env.example` holds for settings only the operator can supply (`xoxb-your-bot-token`): a copied example
 * that was not filled in is refused with a sentence naming each value to replace, rather than failing later at Slack
 * or Devin with a refused token.
 */

/** What each placeholder stands for, and where the real value is found. */
const WHERE: Record<string, string> = {
  SLACK_BOT_TOKEN: 'the bot token (xoxb-...) from "OAuth & Permissions"',
  SLACK_SIGNING_SECRET: 'the signing secret from "Basic Information" > "App Credentials"',
  SLACK_APP_TOKEN:
    'an app-level token (xapp-...) with connections:write from "Basic Information" > "App-Level Tokens", or leave it empty to run in HTTP mode',
  DEVIN_API_KEY: "a service user's token (cog_...) or a legacy API key (apk_...) from Devin's organization settings",
  METRICS_TOKEN: 'a random secret of 16 or more characters (openssl rand -hex 24), or leave it empty',
};

/** A value such as `xoxb-your-bot-token`, `your-signing-secret` or `change-me`. */
const PLACEHOLDER = /(^|[-_])(your[-_]|change[-_]?me$)/i;

/** One sentence per variable in `names` whose value in `env` is still a placeholder (the value itself never shown). */
export function placeholderProblems(env: NodeJS.ProcessEnv, names: readonly string[]): Map<string, string> {
  const problems = new Map<string, string>();
  for (const name of names) {
    const value = env[name]?.trim();
    if (!value || !PLACEHOLDER.test(value)) continue;
    const what = WHERE[name] ?? 'your own value';
    problems.set(name, `${name} still holds the placeholder from .env.example: replace it with ${what}`);
  }
  return problems;
}
