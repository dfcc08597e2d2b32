import type { types } from '@slack/bolt';
import { isFinal } from '../relay/session-state';
import type { StatusView } from '../relay/types';
import type { RenderedMessage } from './notice-blocks';
import { shorten } from './outgoing-text';
import { statusLine, statusText } from './status-text';

/** The End session button, on the root message, in the answer to `EXIT`, and in App Home. */
export const END_SESSION_ACTION = 'end_session';
/** The Open in Devin link button (Slack still sends the press: it is acknowledged and nothing else). */
export const OPEN_IN_DEVIN_ACTION = 'open_in_devin';

/** What the root message of a session's thread shows. */
export interface RootMessage {
  /** The words above the status line (mrkdwn, already escaped). */
  header: string;
  /** Undefined while the session's state is not known yet. */
  view: StatusView | undefined;
  sessionId: string;
  sessionUrl: string;
}

const WEB_URL = /^https?:\/\/[^\s<>|]+$/;

/**
 * The root message as Block Kit: the session's title (once Devin has one), the header, the status line with the pull
 * request link, and the buttons Open in Devin and End session (gone once the session has ended). The plain `text` is
 * the same words, for notifications and screen readers.
 */
export function renderRoot(root: RootMessage): RenderedMessage {
  const { view } = root;
  const title = view?.title?.trim();
  const ended = view !== undefined && (isFinal(view.state) || view.endedBy !== undefined);
  const buttons: types.Button[] = [];
  if (WEB_URL.test(root.sessionUrl) && root.sessionUrl.length <= 3000) {
    buttons.push({
      type: 'button',
      action_id: OPEN_IN_DEVIN_ACTION,
      text: { type: 'plain_text', text: 'Open in Devin' },
      url: root.sessionUrl,
    });
  }
  if (!ended) buttons.push(endSessionButton(root.sessionId, title));
  const blocks: types.KnownBlock[] = [
    ...(title ? [{ type: 'header' as const, text: { type: 'plain_text' as const, text: shorten(title, 150) } }] : []),
    { type: 'section', text: { type: 'mrkdwn', text: shorten(root.header, 3000) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: shorten(statusLine(view), 3000) }] },
    ...(buttons.length > 0 ? [{ type: 'actions' as const, elements: buttons }] : []),
  ];
  return { text: shorten(statusText(root.header, view), 40_000), blocks };
}

/**
 * End session: a danger button whose press Slack asks the person to confirm first; its value is the session id. `name`
 * (the session's title) names the session in the dialog when known.
 */
export function endSessionButton(sessionId: string, name?: string): types.Button {
  const opening = 'Devin stops working on ';
  const ending = ' for good: an ended session cannot be resumed.';
  const trimmed = name?.replace(/\s+/g, ' ').trim();
  // The dialog's text holds 300 characters: a long title is cut, the sentence around it kept.
  const named = trimmed ? `“${shorten(trimmed, 300 - opening.length - ending.length - 2)}”` : sessionId;
  return {
    type: 'button',
    action_id: END_SESSION_ACTION,
    text: { type: 'plain_text', text: 'End session' },
    style: 'danger',
    value: sessionId,
    confirm: {
      title: { type: 'plain_text', text: 'End this session?' },
      text: { type: 'plain_text', text: `${opening}${named}${ending}` },
      confirm: { type: 'plain_text', text: 'End session' },
      deny: { type: 'plain_text', text: 'Keep it' },
      style: 'danger',
    },
  };
}
