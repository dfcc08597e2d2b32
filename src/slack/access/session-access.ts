import type { Actor, Decision } from '../../relay/access-policy';
import type { Binding } from '../../relay/model/threads';
import type { Sessions } from '../../relay/sessions';
import type { Audience } from './channel-audiences';
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
    /** Whether the Slack person is the one the session belongs to in Devin (API v3, `DEVIN_ACT_AS_SLACK_USER`). */
    private readonly isOwner: (sessionId: string, userId: string) => Promise<boolean> = async () => false,
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
  maySteer(view: Visible): Decision {
    const { policy } = this.access;
    if (view.bindings.length === 0) return policy.mayLink(view.actor);
    const decisions = view.bindings.map((binding) => policy.maySteer(view.actor, binding));
    // Allowed by a thread's own rules, else as an admin, else the first thread's refusal.
    return (
      decisions.find((d) => d.ok && !d.asAdmin) ??
      decisions.find((d) => d.ok) ??
      decisions[0] ??
      policy.mayAct(view.actor)
    );
  }

  /** `/devin status`: anyone who can see one of its threads; bound nowhere, whoever may link it. */
  mayRead(view: Visible): Decision {
    const { policy } = this.access;
    return view.bindings.length === 0 ? policy.mayLink(view.actor) : policy.mayAct(view.actor);
  }

  /**
   * End session: as steering when a thread the person can see holds the session; bound nowhere, only an admin or the
   * person the session belongs to.
   */
  async mayEnd(view: Visible, sessionId: string): Promise<Decision> {
    if (view.bindings.length > 0) return this.maySteer(view);
    const owner = await this.isOwner(sessionId, view.actor.userId);
    return this.access.policy.mayEndUnbound(view.actor, owner);
  }

  /**
   * `/devin link` into `channel`: `LINK_POLICY`; for a session already bound, the right to steer it in one of its
   * threads; and, for a session bound in a private conversation, an admin to show it anywhere else (a session in a
   * public channel needs one to reach a channel shared with other workspaces). Who reads each conversation comes from
   * Slack; when it cannot say, the link is refused.
   */
  async mayLink(view: Visible, sessionId: string, channel: string): Promise<Decision> {
    const { policy } = this.access;
    const decision = policy.mayLink(view.actor, view.bindings);
    if (!decision.ok || view.bindings.length === 0) return decision;
    const sources = [...new Set((await this.sessions.threadsOf(sessionId)).map((t) => t.channel))];
    const others = sources.filter((c) => c !== channel);
    if (others.length === 0) return decision;
    const target = await this.access.audience(channel);
    const audiences = await Promise.all(others.map((c) => this.access.audience(c)));
    const unknown = !target || audiences.some((a) => a === undefined);
    const wider = audiences.some((source) => source && widens(source, target));
    if (!unknown && !wider) return decision;
    if (policy.isAdmin(view.actor.userId)) return { ok: true, asAdmin: true };
    return { ok: false, refusal: wider ? 'wider-audience' : 'audience-unknown' };
  }
}

type Visible = Extract<SessionView, { kind: 'visible' }>;

/** Mirroring a conversation from `source` into another one shows it to people `source` keeps it from. */
function widens(source: Audience, target: Audience | undefined): boolean {
  return source.private || (target?.shared === true && !source.shared);
}
