import type { RespondFn, types, webApi } from '@slack/bolt';
import type { AuditAction } from '../../ops/audit-trail';
import { refusalSentence } from '../../relay/access-policy';
import type { ListenerDeps } from '../listeners/listener-deps';
import { fitMessage } from '../text/slack-fit';
import { type Target, unknownSentence } from './session-target';

/** One `/devin` invocation, as plain values. */
export interface CommandContext {
  deps: ListenerDeps;
  client: webApi.WebClient;
  respond: RespondFn;
  team: string;
  channel: string;
  userId: string;
  responseUrl: string;
}

/** Checks that the person may steer the session (a thread they can see, its policy); else tells them why. */
export async function maySteerSession(
  ctx: CommandContext,
  target: Extract<Target, { kind: 'session' }>,
  action: AuditAction,
) {
  const view = await ctx.deps.sessionAccess.view(ctx, target.sessionId);
  if (view.kind === 'hidden') {
    await tell(ctx, unknownSentence(target));
    return false;
  }
  const decision = ctx.deps.sessionAccess.maySteer(view);
  const at = { ...ctx, sessionId: target.sessionId, action };
  ctx.deps.access.admitted(at, decision);
  if (decision.ok) return true;
  await ctx.deps.access.refuse(at, decision.refusal);
  await tell(ctx, refusalSentence(decision.refusal));
  return false;
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

export function authorName(ctx: CommandContext): Promise<string> {
  return ctx.deps.names.nameOf(ctx.userId);
}

/** The Slack error code of a failed Web API call, if it was one. */
export function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } } | undefined)?.data?.error;
}

/** What someone reads when the app is not in the channel where it would post. */
export const INVITE_ME = "I can't post in this channel yet: invite me with `/invite @Devin`, then try again.";

/** Why the root message could not be posted, and that nothing was `started` or `linked`. */
export function cannotPostSentence(error: unknown, nothing: 'started' | 'linked' = 'started'): string {
  const code = slackErrorCode(error);
  if (code === 'not_in_channel' || code === 'channel_not_found') return INVITE_ME;
  return `Slack refused to post the session message (${code ?? 'no answer'}); nothing was ${nothing}.`;
}
