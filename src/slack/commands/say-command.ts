import { sessionWebUrl } from '../../devin/session-ref';
import { withResend } from '../notice-blocks';
import { relayedText } from '../relayed-text';
import { type CommandContext, maySteerSession, tell } from './command-context';
import { resolveTarget } from './session-target';

/** `/devin say <target> <message>`: one message from anywhere, and its outcome for the person. */
export async function sayToSession(ctx: CommandContext, rawTarget: string, message: string): Promise<void> {
  const target = await resolveTarget(ctx, rawTarget);
  if (target.kind === 'problem') return tell(ctx, target.sentence);
  if (!(await maySteerSession(ctx, target, 'say'))) return;
  const { sessionId } = target;
  const url = sessionWebUrl(sessionId, ctx.deps.devinWebUrl);
  const text = await relayedText(await ctx.deps.names.personOf(ctx.userId), message, ctx.deps.names);
  if (!text) return tell(ctx, 'There is no message to send; add some words after the session.');
  const outcome = await ctx.deps.replies.say(sessionId, text, {
    team: ctx.team,
    userId: ctx.userId,
    responseUrl: ctx.responseUrl,
  });
  switch (outcome) {
    case 'delivered':
      return tell(ctx, `:white_check_mark: Delivered to <${url}|the Devin session>.`);
    case 'held': {
      const { text, blocks } = withResend(
        sessionId,
        `:double_vertical_bar: <${url}|The Devin session> is asleep, so your message was not delivered; it is held. Wake the session, then press *Resend*.`,
      );
      return tell(ctx, text, blocks);
    }
    case 'failed': {
      const { text, blocks } = withResend(
        sessionId,
        `:warning: Your message could not be delivered to <${url}|the Devin session>; it is kept, press *Resend* to try again.`,
      );
      return tell(ctx, text, blocks);
    }
    case 'gone':
      return tell(ctx, `:x: Devin has no session \`${sessionId}\`, so the message was not delivered.`);
    case 'rejected':
      return tell(ctx, ":warning: Devin's API rejected the message, so it was not delivered.");
    case 'queued':
      return tell(
        ctx,
        `:hourglass_flowing_sand: Your message is recorded and waits its turn for <${url}|the Devin session>; ` +
          'it goes out in order, and `/devin status` shows what is still waiting.',
      );
  }
}
