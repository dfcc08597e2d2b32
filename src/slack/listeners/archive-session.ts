import type { App, BlockButtonAction } from '@slack/bolt';
import type { ArchiveOutcome } from '../../relay/session-archives';
import { escapeSlackText } from '../text/outgoing-text';
import { ARCHIVE_CANCEL_ACTION, ARCHIVE_SESSION_ACTION, ARCHIVE_UNAVAILABLE } from '../views/archive-blocks';
import type { ListenerDeps } from './listener-deps';
import { runSessionButton } from './session-button';

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
    const answer = async (text: string): Promise<void> => {
      await respond({ response_type: 'ephemeral', replace_original: true, text });
    };
    runSessionButton(
      deps,
      body,
      sessionId,
      {
        action: 'archive',
        label: 'Archive session',
        done: 'archived',
        act: (id, by) => deps.archives.archive(id, by),
        sentence: archiveSentence,
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
