import type { RespondFn, types, webApi } from '@slack/bolt';
import type { Logger } from '../../lib/logger';
import { refusalSentence } from '../../relay/access-policy';
import type { ChannelSettings } from '../../relay/channel-settings';
import type { AuditAction, AuditPort } from '../../relay/ports/audit';
import type { Replies } from '../../relay/replies';
import type { SessionStarts } from '../../relay/session-starts';
import type { Sessions } from '../../relay/sessions';
import type { StartOptionLookup } from '../../relay/start-option-lookup';
import type { SessionListDeps } from '../access/session-list';
import type { SlackNames } from '../directory/slack-names';
import { slackErrorCode } from '../outbound/slack-failure';
import { fitMessage } from '../text/slack-fit';
import type { SpendingDeps } from './spending-deps';

/** What the `/devin` subcommands work with: the domain, people's names and access, and a log. */
export interface CommandDeps extends SessionListDeps {
  /** Starts, links, refusals, allow/deny and admins' acts, as audit lines (and posts). */
  audit: AuditPort;
  names: SlackNames;
  log: Logger;
  sessions: Sessions;
  replies: Replies;
  starts: Pick<SessionStarts, 'acceptCommand'>;
  /** Each channel's settings (`/devin config`), and the start options' checks and lookups. */
  channelSettings: ChannelSettings;
  optionLookup: Pick<StartOptionLookup, 'resolve' | 'unsupported' | 'supported' | 'check'>;
  /** What sessions spend, and the settings of spending and attention (`cost`, `config budget`, `digest`). */
  spending: SpendingDeps;
}

/** One `/devin` invocation, as plain values. */
export interface CommandContext {
  deps: CommandDeps;
  client: webApi.WebClient;
  respond: RespondFn;
  team: string;
  channel: string;
  userId: string;
  responseUrl: string;
}

/** Answers only the person who ran the command, within Slack's limits for a message. */
export async function tell(ctx: CommandContext, text: string, blocks?: types.KnownBlock[]) {
  try {
    const fitted = fitMessage(blocks ? { text, blocks } : { text });
    await ctx.respond({ response_type: 'ephemeral', replace_original: false, ...fitted });
  } catch (error) {
    ctx.deps.log.warn({ channel_id: ctx.channel, err: error }, 'could not answer a command through its response_url');
  }
}

/**
 * Whether the person may act in this channel under the access rules (told why not, in one sentence, and false when
 * not): the check of every command that reads or sets what only concerns the channel or the person.
 */
export async function mayActHere(ctx: CommandContext, action: AuditAction): Promise<boolean> {
  const { access } = ctx.deps;
  const refused = await access.check({ team: ctx.team, channel: ctx.channel, userId: ctx.userId, action }, (actor) =>
    access.policy.mayAct(actor),
  );
  if (refused) await tell(ctx, refusalSentence(refused));
  return !refused;
}

export function authorName(ctx: CommandContext): Promise<string> {
  return ctx.deps.names.nameOf(ctx.userId);
}

/** What someone reads when the app is not in the channel where it would post. */
export const INVITE_ME = "I can't post in this channel yet: invite me with `/invite @Devin`, then try again.";

/** Why the root message could not be posted, and that nothing was `started` or `linked`. */
export function cannotPostSentence(error: unknown, nothing: 'started' | 'linked' = 'started'): string {
  const code = slackErrorCode(error);
  if (code === 'not_in_channel' || code === 'channel_not_found') return INVITE_ME;
  return `Slack refused to post the session message (${code ?? 'no answer'}); nothing was ${nothing}.`;
}
