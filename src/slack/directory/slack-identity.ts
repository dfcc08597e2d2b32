import type { webApi } from '@slack/bolt';
import type { Config } from '../../config/config-types';

/** Who the bot token belongs to, as Slack's `auth.test` said; or why Slack did not say. */
export type SlackIdentity =
  | { ok: true; teamId?: string; url?: string; botId?: string; botUserId?: string }
  | { ok: false; detail: string };

/**
 * Asks Slack once who the bot token belongs to (`auth.test`): the installing workspace, and the bot's ids, which let
 * Bolt ignore the app's own messages without asking again. A refusal or no answer is a value: the app starts anyway,
 * and is not ready.
 */
export async function askSlackIdentity(client: Pick<webApi.WebClient, 'auth'>): Promise<SlackIdentity> {
  try {
    const answer = await client.auth.test();
    return {
      ok: true,
      ...(answer.team_id ? { teamId: answer.team_id } : {}),
      ...(answer.url ? { url: answer.url } : {}),
      ...(answer.bot_id ? { botId: answer.bot_id } : {}),
      ...(answer.user_id ? { botUserId: answer.user_id } : {}),
    };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The workspace the app is installed in, as `auth.test` says: its id (people of other workspaces, through Slack
 * Connect, act only when `ALLOWED_TEAM_IDS` lists theirs) and its address (for links to threads). Asked at start-up and
 * again while that failed; a failure is said in the doctor's words (which call to which URL, and what to check).
 */
export class SlackWorkspace {
  teamId: string | undefined;
  url: string | undefined;

  constructor(
    private readonly client: Pick<webApi.WebClient, 'auth'>,
    private readonly config: Config,
  ) {}

  async ask(): Promise<SlackIdentity> {
    const identity = await askSlackIdentity(this.client);
    if (!identity.ok) {
      // The doctor's checks are loaded only when Slack refused or could not be reached.
      const { slackFailureWords } = await import('../../ops/doctor/start-failure');
      return { ok: false, detail: await slackFailureWords(this.config, identity.detail) };
    }
    this.teamId ??= identity.teamId;
    this.url ??= identity.url;
    return identity;
  }
}
