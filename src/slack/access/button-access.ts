import type { BlockButtonAction } from '@slack/bolt';
import { type Decision, refusalSentence } from '../../relay/access-policy';
import type { AuditAction } from '../../relay/ports/audit';
import type { Sessions } from '../../relay/sessions';
import type { SessionAccess } from './session-access';
import type { SlackAccess } from './slack-access';

/** What deciding on a button press needs: the pressed thread's binding, and who may do what. */
export interface ButtonAccessDeps {
  sessions: Pick<Sessions, 'forThread'>;
  access: SlackAccess;
  sessionAccess: SessionAccess;
}

/**
 * A button that steers a session (Resend, End session): in a bound thread, under that thread's rules, and only for
 * that thread's session (a value naming another session is refused: a forged button must not reach another session);
 * elsewhere (a command's answer, App Home), as `/devin say` would, and End session on a session no thread holds only
 * for an admin or the person it belongs to. Resolves with the sentence for a refused person; undefined when they may.
 */
export async function mayPressSessionButton(
  deps: ButtonAccessDeps,
  body: BlockButtonAction,
  sessionId: string,
  action: AuditAction,
): Promise<string | undefined> {
  const team = body.team?.id ?? body.user.team_id ?? '';
  const channel = body.channel?.id ?? body.container?.channel_id ?? '';
  // A button on a thread's parent (the root message of `/devin new` or `/devin link`) is in the thread it starts.
  const threadTs =
    body.message?.thread_ts ?? body.container?.thread_ts ?? body.message?.ts ?? body.container?.message_ts;
  const binding = channel && threadTs ? await deps.sessions.forThread({ team, channel, threadTs }) : undefined;
  // Told through the button's answer, not again in the thread.
  const at = { team, channel, userId: body.user.id, sessionId, action };
  if (binding) {
    if (binding.sessionId !== sessionId) {
      await deps.access.refuse(at, 'other-session');
      return refusalSentence('other-session');
    }
    const refused = await deps.access.check(at, (actor) => deps.access.policy.maySteer(actor, binding));
    return refused ? refusalSentence(refused) : undefined;
  }
  const view = await deps.sessionAccess.view(at, sessionId);
  if (view.kind === 'hidden') return `Devin has no session \`${sessionId}\`.`;
  let decision: Decision =
    action === 'end' ? await deps.sessionAccess.mayEnd(view, sessionId) : deps.sessionAccess.maySteer(view);
  if (!channel && !decision.ok && view.bindings.length > 0) {
    // Pressed outside any channel (App Home): the rules of the session's threads, each in its own channel.
    const { policy } = deps.access;
    const allowed = view.bindings.some((b) => policy.maySteer({ ...view.actor, channel: b.channel }, b).ok);
    if (allowed) decision = { ok: true };
  }
  deps.access.admitted(at, decision);
  if (decision.ok) return undefined;
  await deps.access.refuse(at, decision.refusal);
  return refusalSentence(decision.refusal);
}
