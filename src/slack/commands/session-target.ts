import { parseSessionRef } from '../../devin/session-ref';
import { parseThreadPermalink } from '../thread-permalink';
import type { CommandContext } from './command-context';

export type Target = { kind: 'session'; sessionId: string } | { kind: 'problem'; sentence: string };

/** A session named by its id, its URL, or the permalink of a bound thread. */
export async function resolveTarget(ctx: CommandContext, raw: string): Promise<Target> {
  const sessionId = parseSessionRef(raw);
  if (sessionId) return { kind: 'session', sessionId };
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
  if (!binding) return { kind: 'problem', sentence: 'That thread is not bound to a Devin session.' };
  return { kind: 'session', sessionId: binding.sessionId };
}
