import type { App, BlockButtonAction } from '@slack/bolt';
import { refusalSentence } from '../../access/access-policy';
import type { ListenerDeps } from '../listener-deps';
import { RESEND_ACTION } from '../notice-blocks';

/**
 * The Resend button: sends the held and failed replies of a session again, in order. Pressed in a message, it is
 * answered privately there; pressed on the App Home (no message, no response_url), on the Home view itself.
 */
export function registerResendAction(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>(RESEND_ACTION, async ({ ack, action, respond, body }) => {
    await ack();
    const sessionId = action.value ?? '';
    deps.log.info({ sessionId, user: body.user.id }, 'resend requested');
    const team = body.team?.id ?? body.user.team_id ?? '';
    const onHome = body.view?.type === 'home';
    const answer = onHome
      ? async (text: string) => deps.home.show({ team, userId: body.user.id }, text)
      : (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    deps.background.run(
      'Resend',
      { sessionId },
      async () => {
        const refusal = await mayResend(deps, body, sessionId);
        if (refusal) {
          await answer(refusal);
          return;
        }
        const summary = await deps.replies.resend(sessionId);
        const parts = [
          summary.delivered || summary.held || summary.failed
            ? `Delivered ${summary.delivered} waiting ${summary.delivered === 1 ? 'reply' : 'replies'}.`
            : 'Nothing was waiting to be resent.',
        ];
        if (summary.held) parts.push(`${summary.held} still held: the session is still asleep; wake it first.`);
        if (summary.failed) parts.push(`${summary.failed} still failing; see the notice in the thread.`);
        try {
          await answer(parts.join(' '));
        } catch (error) {
          deps.log.warn({ sessionId, err: error }, 'could not answer the Resend button');
        }
      },
      answer,
    );
  });
}

/**
 * Pressing Resend steers the session: in a bound thread, under that thread's rules; elsewhere (a command's answer, the
 * App Home), as `/devin say` would, in the channel of the session's first thread when the press came from no channel.
 * Resolves with the sentence for a refused person.
 */
async function mayResend(deps: ListenerDeps, body: BlockButtonAction, sessionId: string): Promise<string | undefined> {
  const team = body.team?.id ?? body.user.team_id ?? '';
  const channel =
    body.channel?.id ?? body.container?.channel_id ?? (await deps.sessions.threadsOf(sessionId))[0]?.channel ?? '';
  const threadTs = body.message?.thread_ts ?? body.container?.thread_ts;
  const binding = threadTs ? await deps.sessions.forThread({ team, channel, threadTs }) : undefined;
  const at = { team, channel, userId: body.user.id, sessionId, action: 'resend' };
  if (binding?.sessionId === sessionId) {
    const refused = await deps.access.check(at, (actor) => deps.access.policy.maySteer(actor, binding));
    return refused ? refusalSentence(refused) : undefined;
  }
  const view = await deps.sessionAccess.view(at, sessionId);
  if (view.kind === 'hidden') return `Devin has no session \`${sessionId}\`.`;
  const decision = deps.sessionAccess.maySteer(view);
  if (decision.ok) return undefined;
  await deps.access.refuse(at, decision.refusal);
  return refusalSentence(decision.refusal);
}
