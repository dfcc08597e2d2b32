import type { Sessions } from '../relay/sessions';
import type { Binding } from '../relay/types';
import type { Actor, Decision } from './access-policy';
import type { SlackAccess } from './slack-access';

/** Someone naming a session from a command or a button. */
export interface Asker {
  team: string;
  /** Where they asked (the command's channel). */
  channel: string;
  userId: string;
  userTeam?: string | undefined;
}

export type SessionView =
  /** The session is bound to no channel the person is in: answer as if it did not exist. */
  { kind: 'hidden' } | { kind: 'visible'; actor: Actor; bindings: Binding[] };

/**
 * What a person may do with a session they name by id, URL or permalink. A session bound to threads is visible only
 * to members of one of their channels (a session id must not open a private channel's conversation); one bound
 * nowhere is visible to anyone the allowlists admit.
 */
export class SessionAccess {
  constructor(
    private readonly access: SlackAccess,
    private readonly sessions: Pick<Sessions, 'threadsOf' | 'forThread'>,
  ) {}

  async view(asker: Asker, sessionId: string): Promise<SessionView> {
    const actor = await this.access.actor(asker.userId, asker.channel, asker.userTeam);
    const threads = await this.sessions.threadsOf(sessionId);
    if (threads.length === 0) return { kind: 'visible', actor, bindings: [] };
    const bindings: Binding[] = [];
    for (const thread of threads) {
      if (!(await this.access.isMember(asker.userId, thread.channel))) continue;
      const binding = await this.sessions.forThread(thread);
      if (binding) bindings.push(binding);
    }
    return bindings.length > 0 ? { kind: 'visible', actor, bindings } : { kind: 'hidden' };
  }

  /** Steering a visible session: allowed under any of its threads the person can see; bound nowhere, as a link. */
  maySteer(view: Extract<SessionView, { kind: 'visible' }>): Decision {
    const { policy } = this.access;
    if (view.bindings.length === 0) return policy.mayLink(view.actor);
    let first: Decision | undefined;
    for (const binding of view.bindings) {
      const decision = policy.maySteer(view.actor, binding);
      if (decision.ok) return decision;
      first ??= decision;
    }
    return first ?? policy.mayAct(view.actor);
  }
}
