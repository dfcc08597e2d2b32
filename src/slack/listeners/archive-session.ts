import type { App, BlockButtonAction } from '@slack/bolt';
import type { ArchiveOutcome } from '../../relay/session-archives';
import { mayPressSessionButton } from '../access/button-access';
import { escapeSlackText } from '../text/outgoing-text';
import { ARCHIVE_CANCEL_ACTION, ARCHIVE_SESSION_ACTION, ARCHIVE_UNAVAILABLE } from '../views/archive-blocks';
import type { ListenerDeps } from './listener-deps';

const NAME_WAIT_MS = 2000;

/**
 * Archive session (in the answer to `archive`), after Slack's confirmation dialog: by those who may end the session,
 * for the session of the thread it was pressed in only, once however often it is pressed. Cancel only takes the
 * question away. The person is answered in place of the question; the thread is told.
 */
export function registerArchiveSession(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>(ARCHIVE_CANCEL_ACTION, async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', replace_original: true, text: 'Nothing was archived.' });
  });
  app.action<BlockButtonAction>(ARCHIVE_SESSION_ACTION, async ({ ack, action, respond, body }) => {
    await ack();
    const sessionId = action.value ?? '';
    const userId = body.user.id;
    const team = body.team?.id ?? body.user.team_id ?? '';
    const answer = async (text: string): Promise<void> => {
      await respond({ response_type: 'ephemeral', replace_original: true, text });
    };
    deps.background.run(
      'Archive session',
      { sessionId, user: userId },
      async () => {
        // The same rules as End session: a button naming another session than the thread's is refused.
        const refusal = await mayPressSessionButton(deps, body, sessionId, 'archive');
        if (refusal) return answer(refusal);
        const name = await deps.names.within(NAME_WAIT_MS).nameOf(userId);
        const outcome = await deps.archives.archive(sessionId, { userId, name });
        deps.audit.record({
          action: 'archive',
          outcome: outcome.kind === 'failed' ? 'failed' : 'done',
          ...(outcome.kind === 'archived' ? {} : { reason: outcome.kind }),
          user_id: userId,
          team_id: team,
          channel_id: body.channel?.id ?? body.container?.channel_id,
          session_id: sessionId,
        });
        await answer(archiveSentence(outcome));
      },
      answer,
    );
  });
}

function archiveSentence(outcome: ArchiveOutcome): string {
  switch (outcome.kind) {
    case 'archived':
      return 'You archived the session; it can no longer be continued.';
    case 'already-archived':
      return `${escapeSlackText(outcome.by)} already archived this session.`;
    case 'archiving':
      return 'Someone is archiving this session right now.';
    case 'ended':
      return 'This session has ended, so there is nothing to archive from here.';
    case 'gone':
      return 'Devin no longer knows this session, so there is nothing to archive.';
    case 'unsupported':
      return ARCHIVE_UNAVAILABLE;
    case 'failed':
      return `:warning: I couldn't archive the session: ${escapeSlackText(outcome.reason)} It goes on.`;
  }
}
