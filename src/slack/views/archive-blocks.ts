import type { types } from '@slack/bolt';

export const ARCHIVE_SESSION_ACTION = 'archive_session';
export const ARCHIVE_CANCEL_ACTION = 'archive_cancel';

/** The answer to `archive`: Archive session (with Slack's confirmation dialog) and Cancel, under the question. */
export function archiveConfirmBlocks(sessionId: string, question: string): types.KnownBlock[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: question } },
    {
      type: 'actions',
      block_id: 'archive',
      elements: [
        {
          type: 'button',
          action_id: ARCHIVE_SESSION_ACTION,
          text: { type: 'plain_text', text: 'Archive session' },
          style: 'danger',
          value: sessionId,
          confirm: {
            title: { type: 'plain_text', text: 'Archive this session?' },
            text: {
              type: 'plain_text',
              text: 'Devin puts the session to sleep and archives it: it stays readable in Devin but cannot be continued.',
            },
            confirm: { type: 'plain_text', text: 'Archive' },
            deny: { type: 'plain_text', text: 'Keep it' },
            style: 'danger',
          },
        },
        {
          type: 'button',
          action_id: ARCHIVE_CANCEL_ACTION,
          text: { type: 'plain_text', text: 'Cancel' },
          value: sessionId,
        },
      ],
    },
  ];
}

/** What people read where the API cannot archive (v1), and what `sleep` would need. */
export const ARCHIVE_UNAVAILABLE =
  "Archiving needs Devin's API v3 (a service user's `cog_` token); with API v1 there is no archive, so nothing was " +
  'done. Your message was not sent to Devin; `EXIT` ends the session instead.';
