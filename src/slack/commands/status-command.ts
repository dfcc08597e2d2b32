import { refusalSentence } from '../../relay/access-policy';
import type { Binding } from '../../relay/model/threads';
import { escapeSlackText } from '../text/outgoing-text';
import { fitEscaped } from '../text/slack-fit';
import { acus } from '../views/spend-meter';
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
  const url = ctx.deps.refs.sessionUrl(session.id);
  const waiting = await ctx.deps.replies.waiting(session.id);
  const state = session.status || 'unknown';
  const lines = [
    `*${fitEscaped(session.title || session.id, 300)}*`,
    `Status: ${escapeSlackText(state)}`,
    `Session: <${url}|${session.id}>`,
    `Replies waiting for delivery: ${waiting.total} (held while asleep: ${waiting.held}, failed: ${waiting.failed})`,
  ];
  const watch = await ctx.deps.sessions.watch(session.id);
  lines.push(
    watch?.lastPolledAt
      ? `Last checked: <!date^${Math.floor(watch.lastPolledAt / 1000)}^{date_short_pretty} {time_secs}|${new Date(watch.lastPolledAt).toISOString()}>`
      : 'Last checked: not yet',
  );
  for (const pr of session.pullRequests) {
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
