import type { Logger } from '../lib/logger';
import { authorOf, type Reply } from './model/replies';
import type { AuditAction, AuditPort } from './ports/audit';
import type { FeedbackPort } from './ports/feedback';
import type { RelayMetrics } from './ports/relay-metrics';
import type { ReplyCaps } from './ports/reply-queue';

/** How many replies may wait (queued, held or failed) in one session, and from one person in it. */
export interface WaitingCaps {
  perSession: number;
  perPerson: number;
}

export interface WaitingLimitsDeps {
  /** Unset: no cap. */
  caps?: WaitingCaps;
  feedback: FeedbackPort;
  log: Logger;
  metrics?: RelayMetrics;
  audit?: AuditPort;
}

/**
 * The caps on waiting replies (`MAX_WAITING_REPLIES_PER_SESSION`, `MAX_WAITING_REPLIES_PER_PERSON`), checked by the
 * queue as it records a reply, and what a reply over them becomes: never silence.
 */
export class WaitingLimits {
  constructor(private readonly deps: WaitingLimitsDeps) {}

  /** The caps a reply from `author` is recorded within. */
  capsFor(author: string): ReplyCaps | undefined {
    const { caps } = this.deps;
    return caps && { perSession: caps.perSession, perAuthor: caps.perPerson, author };
  }

  /**
   * A reply not recorded for a flood: a thread reply gets a receipt that says so and its author a private notice
   * (a command or a shortcut is answered by its caller); each is counted, logged and audited.
   */
  refused(reply: Reply, full: 'session-full' | 'author-full', action: AuditAction): void {
    const { caps } = this.deps;
    const scope = full === 'session-full' ? 'session' : 'person';
    const limit = (scope === 'session' ? caps?.perSession : caps?.perPerson) ?? 0;
    const author = authorOf(reply) ?? '';
    this.deps.metrics?.repliesRelayed.inc({ outcome: 'limited' });
    this.deps.log.warn({ session_id: reply.sessionId, reply_id: reply.id, full }, 'reply not recorded: too many wait');
    const thread = reply.origin.kind === 'thread' ? reply.origin.thread : undefined;
    this.deps.audit?.record({
      action,
      outcome: 'limited',
      reason: full,
      user_id: author,
      team_id: thread?.team ?? (reply.origin.kind === 'command' ? reply.origin.team : undefined),
      channel_id: thread?.channel,
      thread_ts: thread?.threadTs,
      session_id: reply.sessionId,
    });
    if (reply.origin.kind !== 'thread' || action !== 'steer') return;
    this.deps.feedback.receipt(reply.origin.message, 'refused');
    this.deps.feedback.tellPrivately(reply.origin.thread, author, { kind: 'over-cap', scope, limit });
  }
}
