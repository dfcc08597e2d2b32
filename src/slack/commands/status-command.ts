import { sessionWebUrl } from '../../devin/session-ref';
import { refusalSentence } from '../../relay/access-policy';
import type { Binding } from '../../relay/model/types';
import { escapeSlackText } from '../text/outgoing-text';
import { fitEscaped } from '../text/slack-fit';
import { acus } from '../views/notice-blocks';
import { type CommandContext, tell } from './command-context';
import { resolveTarget, unknownSentence } from './session-target';

/** `/devin status <session>`: title, state, link, and what is waiting. */
export async function showStatus(ctx: CommandContext, ref: string): Promise<void> {
  const target = await resolveTarget(ctx, ref);
  if (target.kind === 'problem') return tell(ctx, target.sentence);
  const view = await ctx.deps.sessionAccess.view(ctx, target.sessionId);
  if (view.kind === 'hidden') return tell(ctx, unknownSentence(target));
  const acting = ctx.deps.sessionAccess.mayRead(view);
  if (!acting.ok) {
    await ctx.deps.access.refuse({ ...ctx, sessionId: target.sessionId, action: 'status' }, acting.refusal);
    return tell(ctx, refusalSentence(acting.refusal));
  }
  const found = await ctx.deps.sessions.lookup(target.sessionId);
  if (found.kind === 'unknown') return tell(ctx, `Devin has no session \`${target.sessionId}\`.`);
  if (found.kind === 'failed') return tell(ctx, `I couldn't read that session: ${found.reason}`);
  const { session } = found;
  const url = sessionWebUrl(session.session_id, ctx.deps.devinWebUrl);
  const waiting = await ctx.deps.replies.waiting(session.session_id);
  const state = [session.status_enum, session.status, session.statusDetail].filter(Boolean).join(' / ') || 'unknown';
  const lines = [
    `*${fitEscaped(session.title || session.session_id, 300)}*`,
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
  const pullRequests = session.pullRequests ?? (session.pull_request?.url ? [{ url: session.pull_request.url }] : []);
  for (const pr of pullRequests) {
    lines.push(`Pull request: ${fitEscaped(pr.url, 500)}${pr.state ? ` (${fitEscaped(pr.state, 40)})` : ''}`);
  }
  if (session.acusConsumed !== undefined) lines.push(`Spent: ${acus(session.acusConsumed)}`);
  for (const binding of view.bindings) lines.push(steerersLine(ctx, binding));
  return tell(ctx, lines.join('\n'));
}

/** Who may steer the session from one of its threads, under the policy recorded when it was bound. */
function steerersLine(ctx: CommandContext, binding: Binding): string {
  const { policy } = ctx.deps.access;
  const where = `<#${binding.channel}>`;
  const admins = ' (and admins)';
  switch (binding.policy ?? policy.defaultSteerPolicy) {
    case 'anyone':
      return `Who may steer (thread in ${where}): anyone allowed to use Devin here`;
    case 'starter': {
      const people = [binding.boundBy, ...(binding.allowed ?? [])].filter(Boolean).map((id) => `<@${id}>`);
      return `Who may steer (thread in ${where}): ${people.join(', ') || 'its starter'}${admins}`;
    }
    case 'allowlist':
      return `Who may steer (thread in ${where}): the people in ALLOWED_USER_IDS${admins}`;
  }
}
