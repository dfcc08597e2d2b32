import type { App, BlockButtonAction } from '@slack/bolt';
import { mayPressSessionButton } from '../access/button-access';
import { RESEND_ACTION } from '../views/notice-blocks';
import type { ListenerDeps } from './listener-deps';

/**
 * The Resend button: sends the held and failed replies of a session again, in order. Pressed in a message, it is
 * answered privately there; pressed on the App Home (no message, no response_url), on the Home view itself.
 */
export function registerResendAction(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>(RESEND_ACTION, async ({ ack, action, respond, body }) => {
    await ack();
    const sessionId = action.value ?? '';
    deps.log.info({ session_id: sessionId, user_id: body.user.id }, 'resend requested');
    const team = body.team?.id ?? body.user.team_id ?? '';
    const onHome = body.view?.type === 'home';
    const answer = onHome
      ? async (text: string) => deps.home.show({ team, userId: body.user.id }, text)
      : (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    deps.background.run(
      'Resend',
      { sessionId },
      async () => {
        const refusal = await mayPressSessionButton(deps, body, sessionId, 'resend');
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
          deps.log.warn({ session_id: sessionId, err: error }, 'could not answer the Resend button');
        }
      },
      answer,
    );
  });
}
