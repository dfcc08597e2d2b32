import { sessionWebUrl } from '../../devin/session-ref';
import { escapeSlackText } from '../outgoing-text';
import { type CommandContext, tell } from './command-context';
import { resolveTarget } from './session-target';

/** `/devin status <session>`: title, state, link, and what is waiting. */
export async function showStatus(ctx: CommandContext, ref: string): Promise<void> {
  const target = await resolveTarget(ctx, ref);
  if (target.kind === 'problem') return tell(ctx, target.sentence);
  const found = await ctx.deps.sessions.lookup(target.sessionId);
  if (found.kind === 'unknown') return tell(ctx, `Devin has no session \`${target.sessionId}\`.`);
  if (found.kind === 'failed') return tell(ctx, `I couldn't read that session: ${found.reason}`);
  const { session } = found;
  const url = sessionWebUrl(session.session_id, ctx.deps.devinWebUrl);
  const waiting = await ctx.deps.replies.waiting(session.session_id);
  const state = [session.status_enum, session.status].filter(Boolean).join(' / ') || 'unknown';
  const lines = [
    `*${escapeSlackText(session.title || session.session_id)}*`,
    `Status: ${escapeSlackText(state)}`,
    `Session: <${url}|${session.session_id}>`,
    `Replies waiting for delivery: ${waiting.total} (held while asleep: ${waiting.held}, failed: ${waiting.failed})`,
  ];
  const watch = await ctx.deps.sessions.watch(session.session_id);
  lines.push(
    watch?.lastPolledAt
      ? `Last checked: <!date^${Math.floor(watch.lastPolledAt / 1000)}^{date_short_pretty} {time_secs}|${new Date(watch.lastPolledAt).toISOString()}>`
      : 'Last checked: not yet',
  );
  if (session.pull_request?.url) lines.push(`Pull request: ${escapeSlackText(session.pull_request.url)}`);
  return tell(ctx, lines.join('\n'));
}
