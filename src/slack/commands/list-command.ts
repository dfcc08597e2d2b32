import type { types } from '@slack/bolt';
import { refusalSentence } from '../../relay/access-policy';
import type { ListedSession } from '../access/session-list';
import { listSessions } from '../access/session-list';
import { fitMessage } from '../text/slack-fit';
import { NO_SESSIONS, sessionSummary } from '../views/session-lines';
import { type CommandContext, tell } from './command-context';

/** `/devin list`: the person's recent sessions, newest first, with status and links, for them only. */
export async function listYourSessions(ctx: CommandContext): Promise<void> {
  const listing = await listSessions(ctx.deps, { team: ctx.team, userId: ctx.userId, channel: ctx.channel });
  if (listing.kind === 'refused') return tell(ctx, refusalSentence(listing.refusal));
  if (listing.sessions.length === 0) return tell(ctx, NO_SESSIONS);
  const { text, blocks } = sessionListMessage(listing.sessions);
  return tell(ctx, text, blocks);
}

/** One section per session (at most 20 of Slack's 50 blocks per message), under a heading line. */
export function sessionListMessage(sessions: ListedSession[]): { text: string; blocks: types.KnownBlock[] } {
  const text =
    sessions.length === 1 ? 'Your most recent Devin session' : `Your ${sessions.length} most recent Devin sessions`;
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${text}*, newest first:` } },
    ...sessions.map(
      (session): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: sessionLines(session) } }),
    ),
  ];
  return fitMessage({ text, blocks }) as { text: string; blocks: types.KnownBlock[] };
}

function sessionLines(session: ListedSession): string {
  const links = [
    session.thread ? `<${session.thread.permalink}|Open the thread>` : 'bound to no thread',
    `<${session.sessionUrl}|Open in Devin>`,
  ];
  return `${sessionSummary(session)}\n${links.join(' · ')}`;
}
