import { parseSessionRef } from '../../devin/session-ref';
import { parseThreadPermalink } from '../text/thread-permalink';
import type { CommandContext } from './command-context';

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
  const sessionId = parseSessionRef(raw, ctx.deps.devinWebUrl);
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
