import type { Notice } from '../../relay/model/notices';
import { slackLink } from '../text/outgoing-text';
import { fitEscaped } from '../text/slack-fit';
import { ARCHIVE_UNAVAILABLE, archiveConfirmBlocks } from './archive-blocks';
import { sectionMessage as plain, type RenderedMessage } from './rendered-message';
import { endSessionButton } from './root-blocks';

/** The notices of ending and archiving a session: their confirmations, and who did it. */
export type SessionActionNotice = Extract<
  Notice,
  { kind: 'ended' | 'end-confirm' | 'archive-confirm' | 'archive-unavailable' | 'archived' }
>;

const link = slackLink;

export function sessionActionWords(notice: SessionActionNotice): RenderedMessage {
  switch (notice.kind) {
    case 'ended':
      return plain(`:black_square_for_stop: ${fitEscaped(notice.by, 200)} ended the session.`);
    case 'end-confirm': {
      const text =
        `:black_square_for_stop: End ${link(notice.sessionUrl, 'this Devin session')}? Devin stops working on it for ` +
        'good. Press *End session* and confirm; your message was not sent to Devin.';
      return {
        text,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text } },
          { type: 'actions', elements: [endSessionButton(notice.sessionId)] },
        ],
      };
    }
    case 'archive-confirm': {
      const text =
        `:file_cabinet: Archive ${link(notice.sessionUrl, 'this Devin session')}? It sleeps and cannot be continued. ` +
        'Press *Archive session* and confirm; your message was not sent to Devin.';
      return { text, blocks: archiveConfirmBlocks(notice.sessionId, text) };
    }
    case 'archive-unavailable':
      return plain(`:file_cabinet: ${ARCHIVE_UNAVAILABLE}`);
    case 'archived':
      return plain(`:file_cabinet: ${fitEscaped(notice.by, 200)} archived the session; it can no longer be continued.`);
  }
}
