import type { types } from '@slack/bolt';
import type { Notice } from '../relay/types';
import { escapeSlackText, quoteBlock } from './outgoing-text';

export const RESEND_ACTION = 'resend_held';

export interface RenderedMessage {
  text: string;
  blocks: types.KnownBlock[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const link = (url: string, label: string) => `<${url}|${escapeSlackText(label)}>`;

/** The words and buttons of each notice. Devin's own text is escaped so it cannot ping anyone. */
export function renderNotice(notice: Notice): RenderedMessage {
  switch (notice.kind) {
    case 'paused':
      return withResend(
        notice.sessionId,
        `:double_vertical_bar: Devin's session is asleep, so ${plural(notice.held, 'message')} from this thread ` +
          `${notice.held === 1 ? 'was' : 'were'} not delivered and ${notice.held === 1 ? 'is' : 'are'} held.\n` +
          `${quoteBlock(escapeSlackText(notice.detail || 'The session is not running.'), 500)}\n` +
          `Wake it in ${link(notice.sessionUrl, 'the Devin session')}, then press *Resend*; held messages are sent in order.`,
      );
    case 'failed':
      return withResend(
        notice.sessionId,
        `:warning: ${plural(notice.held, 'message')} from this thread could not be delivered to ` +
          `${link(notice.sessionUrl, 'the Devin session')}: ${escapeSlackText(notice.reason)}. ` +
          'They are kept; press *Resend* to try again.',
      );
    case 'misconfigured':
      return withResend(
        notice.sessionId,
        `:no_entry: Devin's API refused this app's API key, so ${plural(notice.held, 'message')} could not be delivered. ` +
          'An admin needs to check `DEVIN_API_KEY`; the messages are kept, press *Resend* once it is fixed.',
      );
    case 'gone':
      return plain(
        `:x: ${link(notice.sessionUrl, 'This Devin session')} no longer exists, so replies here cannot reach it. ` +
          'Start a new one with `/devin new <task>` or by mentioning @Devin.',
      );
    case 'rejected':
      return plain(
        `:warning: Devin's API rejected that message: ${escapeSlackText(notice.detail || 'no reason given')}.`,
      );
    case 'held-delivered':
      return plain(
        `:white_check_mark: Delivered ${plural(notice.count, 'held message')} to ${link(notice.sessionUrl, 'the Devin session')}, in order.`,
      );
    case 'not-recorded':
      return plain(":warning: I couldn't record that reply, so it did not reach Devin. Please send it again.");
  }
}

function plain(text: string): RenderedMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

function withResend(sessionId: string, text: string): RenderedMessage {
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: RESEND_ACTION,
            text: { type: 'plain_text', text: 'Resend' },
            style: 'primary',
            value: sessionId,
          },
        ],
      },
    ],
  };
}
