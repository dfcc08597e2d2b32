import type { BlockButtonAction } from '@slack/bolt';
import type { AuditAction } from '../../relay/ports/audit';
import { mayPressSessionButton } from '../access/button-access';
import type { ListenerDeps } from './listener-deps';

/** How long the name of whoever pressed is waited for (then their id is shown). */
const NAME_WAIT_MS = 2000;

/** A button that acts on a whole session (End session, Archive session): what it does, and how it is told. */
export interface SessionButton<O extends { kind: string }> {
  /** What the audit trail and the access rules call it. */
  action: AuditAction & ('end' | 'archive');
  /** Its name in the log when its work fails. */
  label: string;
  /** The outcome that counts as done (any other but `failed` is audited with its kind as the reason). */
  done: O['kind'];
  act(sessionId: string, by: { userId: string; name: string }): Promise<O>;
  sentence(outcome: O): string;
}

/**
 * Runs a session button after Slack was answered: the same access rules for each (a button naming another session
 * than its thread's is refused), the presser's name, the act, one audit line, and one sentence to the presser.
 */
export function runSessionButton<O extends { kind: string }>(
  deps: ListenerDeps,
  body: BlockButtonAction,
  sessionId: string,
  button: SessionButton<O>,
  answer: (text: string) => Promise<unknown>,
): void {
  const userId = body.user.id;
  const team = body.team?.id ?? body.user.team_id ?? '';
  deps.background.run(
    button.label,
    { sessionId, user: userId },
    async () => {
      const refusal = await mayPressSessionButton(deps, body, sessionId, button.action);
      if (refusal) {
        await answer(refusal);
        return;
      }
      const name = await deps.names.within(NAME_WAIT_MS).nameOf(userId);
      const outcome = await button.act(sessionId, { userId, name });
      deps.audit.record({
        action: button.action,
        outcome: outcome.kind === 'failed' ? 'failed' : 'done',
        ...(outcome.kind === button.done ? {} : { reason: outcome.kind }),
        user_id: userId,
        team_id: team,
        channel_id: body.channel?.id ?? body.container?.channel_id,
        session_id: sessionId,
      });
      await answer(button.sentence(outcome));
    },
    async (text) => {
      await answer(text);
    },
  );
}
