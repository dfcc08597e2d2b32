import type { AccessConfig, SteerPolicy } from './model/access-rules';

/** What Slack says of a person's account (`users.info`). */
export type AccountKind = 'member' | 'guest' | 'bot' | 'unknown';

/** Someone acting through Slack, where. */
export interface Actor {
  userId: string;
  /** The person's own workspace (differs from the installing one for Slack Connect guests). */
  teamId?: string | undefined;
  channel: string;
  /** Unset while not looked up yet: the account rules are then checked later (`admitsAccount`), off Slack's clock. */
  account?: AccountKind;
}

/** What a bound thread records about who may steer it (the policy in force when it was bound). */
export interface SteerRules {
  /** Unset on threads bound before policies existed: the configured default applies. */
  policy?: SteerPolicy;
  /** Who started or linked the session here. */
  boundBy?: string;
  /** People the starter added with `/devin allow`. */
  allowed?: string[];
}

export type Refusal =
  | 'channel'
  | 'team'
  | 'user'
  | 'guest'
  | 'bot'
  | 'account-unknown'
  | 'not-a-steerer'
  | 'link-admins-only'
  | 'not-the-starter'
  /** Linking a session bound in a private conversation where more (or other) people would read it. */
  | 'wider-audience'
  /** Slack could not say who reads the channels involved (a link is refused rather than guessed). */
  | 'audience-unknown'
  /** Ending a session no thread holds: only an admin, or the person it belongs to. */
  | 'not-the-owner'
  /** A button naming another session than the one of the thread it was pressed in. */
  | 'other-session'
  /** `/devin config` when `ADMIN_USER_IDS` is set: only admins change a channel's settings. */
  | 'config-admins-only';

/** Allowed (`asAdmin`: only because the person is an admin, which is audited), or refused and why. */
export type Decision = { ok: true; asAdmin?: true } | { ok: false; refusal: Refusal };

const OK: Decision = { ok: true };
const AS_ADMIN: Decision = { ok: true, asAdmin: true };
const refuse = (refusal: Refusal): Decision => ({ ok: false, refusal });

/**
 * Who may start, link, say, steer and press buttons, and where. Pure decisions over the configuration, the actor and
 * (to steer) the thread's recorded rules; the Slack lookups they need (account kind, workspace) are made by the caller.
 */
export class AccessPolicy {
  constructor(
    private readonly config: AccessConfig,
    /** The workspace the app is installed in. */
    private readonly homeTeam: () => string | undefined,
  ) {}

  get defaultSteerPolicy(): SteerPolicy {
    return this.config.steer;
  }

  isAdmin(userId: string): boolean {
    return this.config.admins.has(userId);
  }

  /** Start a session, or act at all: the channel, workspace, account and user allowlists. */
  mayAct(actor: Actor): Decision {
    if (this.config.channels && !this.config.channels.has(actor.channel)) return refuse('channel');
    return this.mayUse(actor);
  }

  /**
   * Use Devin somewhere, where no channel is involved (the App Home): the workspace, account and user allowlists. What
   * it shows of a session is still bound to that session's channels.
   */
  mayUse(actor: Actor): Decision {
    const { config } = this;
    if (!this.admitsTeam(actor.teamId)) return refuse('team');
    if (this.isAdmin(actor.userId)) return OK;
    if (actor.account !== undefined) {
      const account = this.admitsAccount(actor);
      if (!account.ok) return account;
    }
    if (config.users && !config.users.has(actor.userId)) return refuse('user');
    return OK;
  }

  /** The rules that need Slack's word on the account: no bots, no guests (unless allowed), no strangers' teams. */
  admitsAccount(actor: Actor): Decision {
    if (this.isAdmin(actor.userId)) return OK;
    if (!this.admitsTeam(actor.teamId)) return refuse('team');
    if (actor.account === 'bot') return refuse('bot');
    if (actor.account === 'guest' && !this.config.allowGuests) return refuse('guest');
    if ((actor.account ?? 'unknown') === 'unknown' && !this.config.allowGuests) return refuse('account-unknown');
    return OK;
  }

  /** People of the installing workspace, and of the workspaces in `ALLOWED_TEAM_IDS` (Slack Connect). */
  private admitsTeam(teamId: string | undefined): boolean {
    const home = this.homeTeam();
    if (!teamId || teamId === home) return true;
    if (this.config.teams?.has(teamId)) return true;
    // Without the installing workspace known, only a list can tell a stranger.
    return home === undefined && this.config.teams === undefined;
  }

  /** Reply into a bound thread, `/devin say` to its session, press its buttons. */
  maySteer(actor: Actor, rules: SteerRules): Decision {
    const acting = this.mayAct(actor);
    if (!acting.ok) return acting;
    return this.orAdmin(actor, this.steering(actor, rules));
  }

  /**
   * `/devin link` (and, for a session no thread holds, `/devin say` and `/devin status`): `LINK_POLICY`. A session
   * already bound somewhere also needs the right to steer it in one of `bound` (the threads the person can see), or
   * an admin: a link must not hand a session to someone its threads refuse.
   */
  mayLink(actor: Actor, bound: SteerRules[] = []): Decision {
    const acting = this.mayAct(actor);
    if (!acting.ok) return acting;
    if (this.config.link === 'admins' && !this.isAdmin(actor.userId)) return refuse('link-admins-only');
    if (bound.length === 0) return OK;
    const steering = bound.map((rules) => this.steering(actor, rules));
    return this.orAdmin(actor, steering.find((d) => d.ok) ?? steering[0] ?? OK);
  }

  /**
   * End session on a session no thread holds: an admin, or the person it belongs to in Devin (`owner`: known only
   * with `DEVIN_ACT_AS_SLACK_USER`). Ending is for good, so `LINK_POLICY` alone does not open it.
   */
  mayEndUnbound(actor: Actor, owner: boolean): Decision {
    const acting = this.mayAct(actor);
    if (!acting.ok) return acting;
    if (owner) return OK;
    return this.isAdmin(actor.userId) ? AS_ADMIN : refuse('not-the-owner');
  }

  /**
   * `/devin config` (a channel's defaults for sessions started there): the admins when `ADMIN_USER_IDS` names some;
   * otherwise whoever may start sessions in the channel.
   */
  mayConfigure(actor: Actor): Decision {
    if (this.config.admins.size > 0) return this.isAdmin(actor.userId) ? OK : refuse('config-admins-only');
    return this.mayAct(actor);
  }

  /** `/devin allow` / `/devin deny`: the thread's starter, or an admin. */
  mayManage(actor: Actor, rules: SteerRules): Decision {
    const acting = this.mayAct(actor);
    if (!acting.ok) return acting;
    return this.orAdmin(actor, actor.userId === rules.boundBy ? OK : refuse('not-the-starter'));
  }

  /** The thread's steering policy alone. */
  private steering(actor: Actor, rules: SteerRules): Decision {
    switch (rules.policy ?? this.config.steer) {
      case 'anyone':
        return OK;
      case 'starter':
        return actor.userId === rules.boundBy || rules.allowed?.includes(actor.userId) ? OK : refuse('not-a-steerer');
      case 'allowlist':
        return this.config.users?.has(actor.userId) ? OK : refuse('not-a-steerer');
    }
  }

  /** An admin may do what the rules refuse others; that it took an admin is said (and audited). */
  private orAdmin(actor: Actor, decision: Decision): Decision {
    return decision.ok || !this.isAdmin(actor.userId) ? decision : AS_ADMIN;
  }

  /** The rules a thread bound now records. */
  rulesFor(boundBy: string): Required<Pick<SteerRules, 'policy'>> & SteerRules {
    return { policy: this.config.steer, boundBy };
  }
}

/** One sentence for the refused person (never more detail than they need). */
export function refusalSentence(refusal: Refusal): string {
  switch (refusal) {
    case 'channel':
      return 'Devin is not enabled in this channel, so nothing was sent to Devin.';
    case 'team':
      return 'People from your workspace cannot use Devin here, so nothing was sent to Devin.';
    case 'user':
      return 'You are not on the list of people who may use Devin here, so nothing was sent to Devin.';
    case 'guest':
      return 'Guest accounts cannot steer Devin sessions here, so nothing was sent to Devin.';
    case 'bot':
      return 'Apps and bots cannot steer Devin sessions here.';
    case 'account-unknown':
      return "I couldn't check your Slack account just now, so nothing was sent to Devin; please try again shortly.";
    case 'not-a-steerer':
      return 'Only the person who started this session, and the people they allow, can steer it; nothing was sent to Devin.';
    case 'link-admins-only':
      return 'Only admins can link a Devin session started elsewhere.';
    case 'not-the-starter':
      return 'Only the person who started this session (or an admin) can change who may steer it.';
    case 'wider-audience':
      return (
        'Linking this session here would show its conversation to people who cannot read it now (it is bound in a ' +
        'private conversation, or this channel is shared with other workspaces), so only an admin can; nothing was linked.'
      );
    case 'audience-unknown':
      return "I couldn't check who can read these conversations just now, so nothing was linked; please try again shortly.";
    case 'not-the-owner':
      return 'No Slack thread holds this session, so only an admin or the person it belongs to can end it; it goes on.';
    case 'other-session':
      return "That button names another session than this thread's, so nothing was done.";
    case 'config-admins-only':
      return "Only admins can change this channel's Devin settings; nothing was changed.";
  }
}
