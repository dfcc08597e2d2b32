import type { types } from '@slack/bolt';
import type { ListedSession } from '../access/session-list';
import { escapeSlackText } from '../text/outgoing-text';
import { fitMessage } from '../text/slack-fit';
import { sessionTitle, slackDate } from './session-lines';

/** Sessions a digest lists; the rest are counted (the App Home lists them all). */
const LISTED = 15;

/** The daily digest: the sessions waiting for the person, each with a link to its thread (or to Devin). */
export function digestMessage(sessions: ListedSession[]): { text: string; blocks: types.KnownBlock[] } {
  const heading =
    sessions.length === 1
      ? '*Your Devin digest:* 1 session waits for you.'
      : `*Your Devin digest:* ${sessions.length} sessions wait for you.`;
  const lines = sessions.slice(0, LISTED).map((s) => `• ${waitingLine(s)}`);
  if (sessions.length > LISTED) lines.push(`• ${sessions.length - LISTED} more on the app's Home tab`);
  const footer = 'Turn this off with `/devin digest off`.';
  const text = [heading, ...lines, footer].join('\n');
  return fitMessage({
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: heading } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: footer }] },
    ],
  }) as { text: string; blocks: types.KnownBlock[] };
}

/** The reminder for one session that has waited since `since`. */
export function reminderMessage(session: ListedSession, since: number): { text: string } {
  return {
    text:
      `:alarm_clock: ${waitingLine(session)}: it has waited for you since ${slackDate(since)}. ` +
      'One reminder a day at most; `/devin digest off` stops them.',
  };
}

function waitingLine(session: ListedSession): string {
  const title = `*${escapeSlackText(sessionTitle(session))}*`;
  const what = session.approval ? 'waits for an approval' : 'waits for your reply';
  const link = session.thread
    ? `<${session.thread.permalink}|open the thread>`
    : `<${session.sessionUrl}|open it in Devin>`;
  return `${title} ${what} (${link})`;
}
