import type { webApi } from '@slack/bolt';
import { bounded } from '../../lib/bounded';
import type { Logger } from '../../lib/logger';
import {
  type AccessPolicy,
  type AccountKind,
  type Actor,
  type Decision,
  type Refusal,
  refusalSentence,
} from '../../relay/access-policy';
import type { Reply } from '../../relay/model/replies';
import type { AuditAction, AuditPort } from '../../relay/ports/audit';
import type { Store } from '../../relay/ports/store';
import { refusalToldKey } from '../../relay/ports/store-keys';
import type { SlackAccount, SlackNames } from '../directory/slack-names';
import { type Audience, ChannelAudiences, LOOKUP_MS, slackIsLate } from './channel-audiences';

/** A refused person is told at most once per thread in this time. */
const TOLD_EVERY_MS = 60 * 60_000;

export interface SlackAccessDeps {
  policy: AccessPolicy;
  client: webApi.WebClient;
  /** Accounts come from the same cached `users.info` answers that name people. */
  names: Pick<SlackNames, 'accountOf' | 'knownAccount'>;
  store: Store;
  log: Logger;
  /** Every refusal is an audit line. */
  audit: AuditPort;
  now?: () => number;
}

/** Where someone was refused, for the log and for their private answer. */
export interface RefusedAt {
  team: string;
  channel: string;
  /** The thread they acted in: the refusal is posted there, visible to them only. */
  threadTs?: string;
  userId: string;
  sessionId?: string;
  /** What they tried (for the audit trail). */
  action: AuditAction;
}

/**
 * The Slack lookups access decisions need (what kind of account a person has, who is in a channel), cached and
 * bounded, and the refusals: logged once at info (who, where, which session, never the message), and told to the
 * person privately, once per thread per hour at most.
 */
export class SlackAccess {
  private readonly channels: ChannelAudiences;

  constructor(private readonly deps: SlackAccessDeps) {
    this.channels = new ChannelAudiences(deps);
  }

  get policy(): AccessPolicy {
    return this.deps.policy;
  }

  /**
   * The actor for a person acting in a channel, with their account looked up (bounded); `teamId` is the person's
   * workspace when the payload says it.
   */
  async actor(userId: string, channel: string, teamId?: string): Promise<Actor> {
    const account = await this.account(userId);
    return { userId, channel, account: account.kind, teamId: teamId ?? account.teamId };
  }

  /**
   * The same without asking Slack: the account only if it is cached. For checks made before Slack gets its answer;
   * the account rules are checked once more after it (`vet`).
   */
  knownActor(userId: string, channel: string, teamId?: string): Actor {
    const known = this.deps.names.knownAccount(userId);
    return { userId, channel, teamId: teamId ?? known?.teamId, ...(known ? { account: known.kind } : {}) };
  }

  /**
   * After Slack had its answer: the account rules for a message recorded before its author was looked up. Refusals
   * are told as usual; true when the message may go on.
   */
  async vet(at: RefusedAt & { userTeam?: string | undefined }): Promise<boolean> {
    const decision = this.deps.policy.admitsAccount(await this.actor(at.userId, at.channel, at.userTeam));
    if (decision.ok) return true;
    await this.refuse(at, decision.refusal);
    return false;
  }

  /** A thread reply's author, looked up on its way to Devin: guests, bots and strangers' workspaces are refused. */
  vetReply(reply: Reply): Promise<boolean> {
    if (!reply.draft || reply.origin.kind !== 'thread') return Promise.resolve(true);
    const { thread } = reply.origin;
    return this.vet({
      team: thread.team,
      channel: thread.channel,
      threadTs: thread.threadTs,
      userId: reply.draft.user,
      userTeam: reply.draft.userTeam,
      sessionId: reply.sessionId,
      action: 'steer',
    });
  }

  /**
   * Decides for the person acting at `at`; when refused, logs it and tells them (in the thread, when there is one) and
   * resolves with the refusal, so that a command can answer with it. Undefined when allowed.
   */
  async check(
    at: RefusedAt & { userTeam?: string | undefined },
    decide: (actor: Actor) => Decision,
    { lookUp = true }: { lookUp?: boolean } = {},
  ): Promise<Refusal | undefined> {
    const actor = lookUp
      ? await this.actor(at.userId, at.channel, at.userTeam)
      : this.knownActor(at.userId, at.channel, at.userTeam);
    const decision = decide(actor);
    this.admitted(at, decision);
    if (decision.ok) return undefined;
    await this.refuse(at, decision.refusal);
    return decision.refusal;
  }

  /** True when Slack lists the person in the channel (false when it cannot say: fail closed). */
  isMember(userId: string, channel: string): Promise<boolean> {
    return this.channels.isMember(userId, channel);
  }

  /** Who can read the conversation; undefined when Slack cannot say (the caller fails closed). */
  audience(channel: string): Promise<Audience | undefined> {
    return this.channels.audience(channel);
  }

  /** An admin did what only the admin rule allowed: that is an audit line of its own. */
  admitted(at: RefusedAt, decision: Decision): void {
    if (!decision.ok || !decision.asAdmin) return;
    this.deps.audit.record({
      action: at.action,
      outcome: 'done',
      reason: 'admin',
      admin: true,
      user_id: at.userId,
      team_id: at.team,
      channel_id: at.channel,
      thread_ts: at.threadTs,
      session_id: at.sessionId,
    });
  }

  /** Audits the refusal and tells the person, privately and at most once per thread per hour. */
  async refuse(at: RefusedAt, refusal: Refusal): Promise<void> {
    const { log } = this.deps;
    this.deps.audit.record({
      action: at.action,
      outcome: 'refused',
      reason: refusal,
      user_id: at.userId,
      team_id: at.team,
      channel_id: at.channel,
      thread_ts: at.threadTs,
      session_id: at.sessionId,
    });
    if (!at.threadTs) return;
    const key = refusalToldKey({ team: at.team, channel: at.channel, threadTs: at.threadTs, userId: at.userId });
    try {
      // "Try again" is worth saying each time; the others once an hour.
      if (refusal !== 'account-unknown' && !(await this.deps.store.claim(key, at.userId, TOLD_EVERY_MS))) return;
      await this.deps.client.chat.postEphemeral({
        channel: at.channel,
        thread_ts: at.threadTs,
        user: at.userId,
        text: `:no_entry: ${refusalSentence(refusal)}`,
      });
    } catch (error) {
      log.warn({ user_id: at.userId, channel_id: at.channel, err: error }, 'could not tell a refused person why');
    }
  }

  private async account(userId: string): Promise<{ kind: AccountKind; teamId?: string }> {
    let account: SlackAccount | undefined;
    try {
      account = await bounded(LOOKUP_MS, this.deps.names.accountOf(userId), slackIsLate);
    } catch (error) {
      this.deps.log.warn({ user_id: userId, err: error }, 'could not look up a Slack account');
    }
    if (!account) return { kind: 'unknown' };
    return { kind: account.kind, ...(account.teamId ? { teamId: account.teamId } : {}) };
  }
}
