import { z } from 'zod';
import { count, optional } from './fields';

/** How the app reaches Slack: its tokens, its signing secret, and how fast it may react. */
export const SLACK_VARIABLES = {
  SLACK_BOT_TOKEN: optional
    .pipe(
      z
        .string({ error: 'SLACK_BOT_TOKEN is required: the bot token (xoxb-...) from "OAuth & Permissions"' })
        .startsWith('xoxb-', 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-'),
    )
    .describe('bot token `xoxb-...`'),
  SLACK_SIGNING_SECRET: optional
    .describe('request signing secret; ignored in Socket Mode')
    .meta({ default: 'required in HTTP mode' }),
  SLACK_APP_TOKEN: optional
    .pipe(z.string().startsWith('xapp-', 'SLACK_APP_TOKEN must be an app-level token starting with xapp-').optional())
    .describe('app-level token `xapp-...`; when set the app runs in Socket Mode'),
  SLACK_API_URL: optional
    .pipe(z.url('SLACK_API_URL must be a URL such as https://slack.com/api/').optional())
    .describe("base URL of Slack's Web API (tests point it at a local fake)")
    .meta({ default: "Slack's" }),
  SLACK_REACTIONS_PER_MINUTE: count(50, 'SLACK_REACTIONS_PER_MINUTE', 'reactions per minute').describe(
    "receipt reactions per minute per workspace (Slack's Tier 3); raise it if your workspace allows more",
  ),
};
