import { refusalSentence } from '../../relay/access-policy';
import type { AuditAction } from '../../relay/ports/audit';
import { parseThreadPermalink } from '../text/thread-permalink';
import { type CommandContext, tell } from './command-context';

export type Target =
  | { kind: 'session'; sessionId: string; via: 'reference' | 'permalink' }
  | { kind: 'problem'; sentence: string };

/** The answer for a session the person may not see: the same as for one that does not exist. */
export function unknownSentence(target: Extract<Target, { kind: 'session' }>): string {
  return target.via === 'permalink' ? NOT_BOUND : `Devin has no session \`${target.sessionId}\`.`;
}

const NOT_BOUND = 'That thread is not bound to a Devin session.';

/** A session named by its id, its URL, or the permalink of a bound thread. */
export async function resolveTarget(ctx: CommandContext, raw: string): Promise<Target> {
  const sessionId = ctx.deps.refs.parseSessionRef(raw);
  if (sessionId) return { kind: 'session', sessionId, via: 'reference' };
  const permalink = parseThreadPermalink(raw);
  if (!permalink) {
    return {
      kind: 'problem',
      sentence:
        'I need a Devin session id (`devin-…`), a session URL, or the link to a thread bound to a session; ' +
        `\`${raw.slice(0, 80).replace(/`/g, "'")}\` is none of those.`,
    };
  }
  const binding = await ctx.deps.sessions.forThread({ team: ctx.team, ...permalink });
  if (!binding) return { kind: 'problem', sentence: NOT_BOUND };
  return { kind: 'session', sessionId: binding.sessionId, via: 'permalink' };
}

/** Checks that the person may steer the session (a thread they can see, its policy); else tells them why. */
export async function maySteerSession(
  ctx: CommandContext,
  target: Extract<Target, { kind: 'session' }>,
  action: AuditAction,
) {
  const view = await ctx.deps.sessionAccess.view(ctx, target.sessionId);
  if (view.kind === 'hidden') {
    await tell(ctx, unknownSentence(target));
    return false;
  }
  const decision = ctx.deps.sessionAccess.maySteer(view);
  const at = { ...ctx, sessionId: target.sessionId, action };
  ctx.deps.access.admitted(at, decision);
  if (decision.ok) return true;
  await ctx.deps.access.refuse(at, decision.refusal);
  await tell(ctx, refusalSentence(decision.refusal));
  return false;
}
