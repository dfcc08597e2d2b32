import type { App, BlockButtonAction } from '@slack/bolt';
import type { EndOutcome } from '../../relay/session-ends';
import { escapeSlackText } from '../text/outgoing-text';
import { END_SESSION_ACTION } from '../views/root-blocks';
import type { ListenerDeps } from './listener-deps';
import { runSessionButton } from './session-button';

/**
 * End session (on the root message, in the answer to `EXIT`, in App Home), after Slack's confirmation dialog: by those
 * who may steer the session, once however often it is pressed. The person is answered privately; the thread is told.
 */
export function registerEndSession(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>(END_SESSION_ACTION, async ({ ack, action, respond, body }) => {
    await ack();
    const sessionId = action.value ?? '';
    const userId = body.user.id;
    deps.log.info({ session_id: sessionId, user_id: userId }, 'end session requested');
    // The answer to `EXIT` is replaced by the outcome (its button is gone); a root message is never replaced. Pressed on
    // the App Home (no message, no response_url), the Home view itself says how it went.
    const replace = body.container?.is_ephemeral === true;
    const team = body.team?.id ?? body.user.team_id ?? '';
    const answer = async (text: string) => {
      if (body.view?.type === 'home') return deps.home.show({ team, userId }, text);
      if (!body.response_url)
        return deps.log.info({ session_id: sessionId, user_id: userId, text }, 'End session answered nobody');
      await respond({ response_type: 'ephemeral', replace_original: replace, text });
    };
    runSessionButton(
      deps,
      body,
      sessionId,
      {
        action: 'end',
        label: 'End session',
        done: 'ended',
        act: (id, by) => deps.ends.end(id, by),
        sentence: endSentence,
      },
      answer,
    );
  });
}

function endSentence(outcome: EndOutcome): string {
  switch (outcome.kind) {
    case 'ended':
      return 'You ended the session; Devin has stopped working on it.';
    case 'already-ended':
      return outcome.by
        ? `${escapeSlackText(outcome.by)} already ended this session.`
        : 'This session has already ended.';
    case 'ending':
      return 'Someone is ending this session right now.';
    case 'gone':
      return 'Devin no longer knows this session, so there is nothing to end.';
    case 'failed':
      return `:warning: I couldn't end the session: ${escapeSlackText(outcome.reason)} It goes on; *End session* still works.`;
  }
}
