import { threadFields } from '../../lib/log-fields';
import type { Binding, ThreadRef } from '../../relay/model/threads';
import type { ListenerDeps } from './listener-deps';

/** `acu:<n>` as a whole reply: a request to raise the session's ACU cap (its number, or NaN when it is none). */
export function capRaiseAsked(text: string): number | undefined {
  const match = /^acu:\s*(\S*)$/i.exec(text.trim());
  if (!match) return undefined;
  const words = match[1] ?? '';
  return /^\d{1,7}$/.test(words) && Number(words) > 0 ? Number(words) : Number.NaN;
}

/**
 * `acu:<n>` in a bound thread, answered privately and never sent to Devin: its starter or an admin hears that Devin's
 * API has no way to change a running session's cap (neither v1 nor v3 documents one) and what to do instead; anyone
 * else, that only they can. The message's claim answers it once, however often Slack delivers it.
 */
export async function answerCapRaise(
  deps: ListenerDeps,
  input: { thread: ThreadRef; binding: Binding; userId: string; ts: string; asked: number },
): Promise<void> {
  const { thread, binding, userId } = input;
  if (!(await deps.claims.claim({ team: thread.team, channel: thread.channel, ts: input.ts }))) return;
  const may = userId === binding.boundBy || deps.access.policy.isAdmin(userId);
  const outcome = !may ? 'refused' : Number.isNaN(input.asked) ? 'invalid' : 'unsupported';
  deps.log.info(
    { ...threadFields(thread), session_id: binding.sessionId, user_id: userId, outcome },
    'cap raise asked',
  );
  deps.feedback.tellPrivately(thread, userId, {
    kind: 'cap-raise',
    outcome,
    sessionUrl: binding.sessionUrl,
    ...(Number.isNaN(input.asked) ? {} : { asked: input.asked }),
  });
}
