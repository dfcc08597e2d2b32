import type { types } from '@slack/bolt';
import { isLinkableUrl } from '../../net/outbound';
import type { StatusView } from '../../relay/model/notices';
import { isFinal } from '../../relay/model/session-state';
import { fitMessage, fitMrkdwn, fitPlainText, SLACK_LIMITS, type WholeAt } from '../text/slack-fit';
import type { RenderedMessage } from './rendered-message';
import { stateLabel, statusLine } from './status-text';

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

/**
 * The root message as Block Kit: the session's title (once Devin has one), the header, the status line with the pull
 * request links, and the buttons Open in Devin and End session (gone once the session has ended). The plain `text` is
 * the same words, for notifications and screen readers. Whatever the data, it fits a status edit (4,000 characters of
 * text): the status line keeps its room, the header is cut where a line or word ends, with a link to the session.
 */
export function renderRoot(root: RootMessage): RenderedMessage {
  const { view } = root;
  const whole = wholeSession(root.sessionUrl);
  const status = statusLine(view, undefined, whole);
  const header = fitMrkdwn(
    root.header,
    Math.min(SLACK_LIMITS.textObject, SLACK_LIMITS.messageText - status.length - 1),
    whole,
  );
  const title = view?.title?.trim();
  const ended =
    view !== undefined && (isFinal(view.state) || view.endedBy !== undefined || view.archivedBy !== undefined);
  const buttons: types.Button[] = [];
  if (isLinkableUrl(root.sessionUrl, 3000)) {
    buttons.push({
      type: 'button',
      action_id: OPEN_IN_DEVIN_ACTION,
      text: { type: 'plain_text', text: 'Open in Devin' },
      url: root.sessionUrl,
    });
  }
  if (!ended) buttons.push(endSessionButton(root.sessionId, title));
  const blocks: types.KnownBlock[] = [
    ...(title ? [{ type: 'header' as const, text: { type: 'plain_text' as const, text: title } }] : []),
    { type: 'section', text: { type: 'mrkdwn', text: header } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: status }] },
    ...(buttons.length > 0 ? [{ type: 'actions' as const, elements: buttons }] : []),
  ];
  return fitMessage({ text: `${header}\n${status}`, blocks }, whole) as RenderedMessage;
}

/**
 * The root message when Slack refused its full form: one line with the state and the link to the session (no blocks,
 * nothing of Devin's but the state's own words).
 */
export function minimalRoot(view: StatusView | undefined, sessionUrl: string): RenderedMessage {
  const state = view ? stateLabel(view) : ':hourglass_flowing_sand: starting';
  const link = isLinkableUrl(sessionUrl) ? ` · <${sessionUrl}|Open in Devin>` : '';
  return { text: `*Status:* ${state}${link}`, blocks: [] };
}

/** Where the whole of a root message's cut words can be read: the session in Devin. */
function wholeSession(sessionUrl: string): WholeAt {
  return { url: sessionUrl, label: 'the rest in Devin' };
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
  const named = trimmed ? `“${fitPlainText(trimmed, 300 - opening.length - ending.length - 2)}”` : sessionId;
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
