import type { types } from '@slack/bolt';
import type { SessionRefs } from '../../relay/ports/devin';
import type { SendOutcome } from '../../relay/replies';
import { relayedText } from '../text/relayed-text';
import { withResend } from '../views/notice-blocks';
import { type CommandContext, tell } from './command-context';
import { maySteerSession, resolveTarget } from './session-target';

/** `/devin say <target> <message>`: one message from anywhere, and its outcome for the person. */
export async function sayToSession(ctx: CommandContext, rawTarget: string, message: string): Promise<void> {
  const target = await resolveTarget(ctx, rawTarget);
  if (target.kind === 'problem') return tell(ctx, target.sentence);
  if (!(await maySteerSession(ctx, target, 'say'))) return;
  const { sessionId } = target;
  const text = await relayedText(await ctx.deps.names.personOf(ctx.userId), message, ctx.deps.names);
  if (!text) return tell(ctx, 'There is no message to send; add some words after the session.');
  const outcome = await ctx.deps.replies.say(sessionId, text, {
    team: ctx.team,
    userId: ctx.userId,
    responseUrl: ctx.responseUrl,
  });
  const answer = sentOutcome(outcome, sessionId, ctx.deps.refs);
  return tell(ctx, answer.text, answer.blocks);
}

/** What someone reads who sends a message that reached Devin before (it is not sent twice). */
export const ALREADY_SENT = 'That message already reached Devin, so it was not sent again.';

/**
 * What the person who sent a message to a session reads of how it ended: the words of `/devin say`, also used by the
 * Send to Devin shortcut. Held and failed messages come with the Resend button.
 */
export function sentOutcome(
  outcome: SendOutcome,
  sessionId: string,
  refs: Pick<SessionRefs, 'sessionUrl'>,
): { text: string; blocks?: types.KnownBlock[] } {
  const url = refs.sessionUrl(sessionId);
  switch (outcome) {
    case 'delivered':
      return { text: `:white_check_mark: Delivered to <${url}|the Devin session>.` };
    case 'held':
      return withResend(
        sessionId,
        `:double_vertical_bar: <${url}|The Devin session> is asleep, so your message was not delivered; it is held. Wake the session, then press *Resend*.`,
      );
    case 'failed':
      return withResend(
        sessionId,
        `:warning: Your message could not be delivered to <${url}|the Devin session>; it is kept, press *Resend* to try again.`,
      );
    case 'gone':
      return { text: `:x: Devin has no session \`${sessionId}\`, so the message was not delivered.` };
    case 'rejected':
      return { text: ":warning: Devin's API rejected the message, so it was not delivered." };
    case 'queued':
      return {
        text:
          `:hourglass_flowing_sand: Your message is recorded and waits its turn for <${url}|the Devin session>; ` +
          'it goes out in order, and `/devin status` shows what is still waiting.',
      };
    case 'already-sent':
      return { text: ALREADY_SENT };
    case 'session-full':
    case 'author-full':
      return {
        text:
          `:no_entry_sign: Your message was not recorded: ${
            outcome === 'session-full' ? 'too many replies' : 'too many of your replies'
          } already wait for <${url}|the Devin session>. Send it again once they have gone out ` +
          '(`/devin status` shows what waits).',
      };
  }
}
