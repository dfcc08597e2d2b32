import type { ListedSession } from '../access/session-list';
import { escapeSlackText } from '../text/outgoing-text';
import { fitPlainText } from '../text/slack-fit';
import { STATE_LABEL } from './state-label';

/** What someone with no sessions yet reads, in `/devin list` and on the App Home. */
export const NO_SESSIONS =
  'You have no Devin sessions yet. Start one with `/devin new <task>`, by mentioning @Devin, ' +
  'or with *Send to Devin* in the menu of any message.';

/** Titles longer than this are cut (Devin's titles are short; a section's text holds 3,000 characters). */
const TITLE_LIMIT = 150;

/** The session's title as plain text, cut to `limit` characters (UTF-16 code units); its id when Devin has given none yet. */
export function sessionTitle(session: Pick<ListedSession, 'title' | 'sessionId'>, limit = TITLE_LIMIT): string {
  const title = (session.title ?? '').replace(/\s+/g, ' ').trim() || `Session ${session.sessionId}`;
  return fitPlainText(title, limit);
}

/** A time each reader sees in their own time zone (Slack's date token), with a plain fallback. */
export function slackDate(ms: number): string {
  const fallback = new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${fallback} UTC>`;
}

/** Status, last activity and what waits: `:large_green_circle: working · last activity … · 2 replies waiting (1 held)`. */
export function sessionFacts(session: ListedSession): string {
  const status = session.state ? STATE_LABEL[session.state] : ':grey_question: status not known yet';
  const { total, held, failed } = session.waiting;
  const trouble = [held ? `${held} held` : '', failed ? `${failed} failed` : ''].filter(Boolean).join(', ');
  const replies = total === 1 ? '1 reply' : `${total} replies`;
  const waiting = total ? `${replies} waiting${trouble ? ` (${trouble})` : ''}` : 'no replies waiting';
  return [status, `last activity ${slackDate(session.lastActivityAt)}`, waiting].join(' · ');
}

/** Title (bold) over the facts, in mrkdwn; Devin's title is escaped and never a link label. */
export function sessionSummary(session: ListedSession): string {
  return `*${escapeSlackText(sessionTitle(session))}*\n${sessionFacts(session)}`;
}
