import type { Clock } from '../lib/clock';
import { messageFields } from '../lib/log-fields';
import type { Logger } from '../lib/logger';
import type { Deliverer, Settled } from './deliverer';
import type { MessageClaims, SlackMessageIdentity } from './message-claims';
import { authorOf, type Reply } from './model/replies';
import type { Binding } from './model/threads';
import type { Person, PersonSessions } from './person-sessions';
import type { AuditPort } from './ports/audit';
import type { FeedbackPort } from './ports/feedback';
import type { RelayMetrics } from './ports/relay-metrics';
import type { RecordResult, ReplyQueue } from './ports/reply-queue';
import { commandReplyRecord, forwardedReplyRecord, type ThreadReply, threadReplyRecord } from './reply-records';
import { type WaitingCaps, WaitingLimits } from './waiting-limits';

/** Slack sends an event it got no answer for again, up to this many times. */
export const SLACK_LAST_RETRY = 3;

/**
 * How a message someone sent on purpose (`/devin say`, the Send to Devin shortcut) ended, for them to read;
 * `session-full` / `author-full`: not recorded, too many replies wait in the session (from them).
 */
export type SendOutcome = Settled | 'queued' | 'already-sent' | 'session-full' | 'author-full';

export interface ResendSummary {
  delivered: number;
  held: number;
  failed: number;
}

export interface RepliesDeps {
  claims: MessageClaims;
  queue: ReplyQueue;
  deliverer: Deliverer;
  feedback: FeedbackPort;
  clock: Clock;
  log: Logger;
  /** How long `/devin say` waits for an outcome before telling the person the message is queued. */
  sayWaitMs: number;
  metrics?: RelayMetrics;
  /** Each person's sessions: whoever steers one has it in their list. */
  people?: Pick<PersonSessions, 'touch'>;
  /** Unset: no cap (tests of other things). */
  caps?: WaitingCaps;
  /** Replies refused for a flood are audit lines. */
  audit?: AuditPort;
}

/** Takes replies from Slack (thread messages, `/devin say`, Resend) and hands them to delivery. */
export class Replies {
  private readonly caps: WaitingLimits;

  constructor(private readonly deps: RepliesDeps) {
    this.caps = new WaitingLimits(deps);
  }

  /**
   * Records a thread reply and its claims in one write, then starts delivery without waiting for it: Slack's answer
   * waits for the record only. False when the message (or this delivery of it) was seen before.
   */
  async acceptThreadReply(binding: Binding, reply: ThreadReply): Promise<boolean> {
    const identity = {
      team: reply.thread.team,
      channel: reply.thread.channel,
      ts: reply.ts,
      ...(reply.eventId ? { eventId: reply.eventId } : {}),
    };
    const record = threadReplyRecord(binding.sessionId, reply, this.deps.clock.now());
    this.deps.metrics?.repliesReceived.inc({ source: 'thread' });
    let recorded: RecordResult;
    try {
      // Held and failed replies of the session get another try in the same step: delivery starts without another call.
      recorded = await this.deps.queue.record(
        record,
        this.deps.claims.forReply(identity),
        this.caps.capsFor(reply.draft.user),
        { wake: true },
      );
    } catch (error) {
      // Slack sends it again while it has tries left; only when this was its last is the person asked to.
      if ((reply.retryNum ?? 0) >= SLACK_LAST_RETRY) this.deps.feedback.tell(reply.thread, { kind: 'not-recorded' });
      throw error;
    }
    if (recorded === 'session-full' || recorded === 'author-full') {
      this.caps.refused(record, recorded, 'steer');
      return false;
    }
    if (recorded === 'duplicate') {
      const kind = await this.deps.claims.duplicateOf(identity).catch(() => undefined);
      this.deps.metrics?.repliesDeduplicated.inc({ kind: kind ?? 'message' });
      this.deps.log.debug(
        { ...messageFields(identity), session_id: binding.sessionId },
        'duplicate delivery of a message ignored',
      );
      return false;
    }
    this.deps.log.debug({ session_id: binding.sessionId, reply_id: record.id }, 'reply recorded');
    // After Slack's answer, and after the attempts that carried the reply to Devin: the person's list of sessions is
    // not on the reply's way (a lone reply's way to Devin costs no call for it).
    const person = { team: reply.thread.team, userId: reply.draft.user };
    void this.deps.deliverer.kick(record.sessionId).finally(() => this.steered(person, binding.sessionId));
    return true;
  }

  /**
   * Sends a message named by `/devin say` (or chosen in the Send to Devin form) and resolves with how it ended, or
   * `queued` if that takes too long. With the Slack message it carries (`message`), it is recorded with that message's
   * claims: a message reaches Devin once, whichever way it was sent (`already-sent` the second time).
   */
  async say(
    sessionId: string,
    text: string,
    requester: { team: string; userId: string; responseUrl?: string },
    message?: SlackMessageIdentity,
  ): Promise<SendOutcome> {
    const now = this.deps.clock.now();
    const record = commandReplyRecord(sessionId, text, requester, now);
    this.deps.metrics?.repliesReceived.inc({ source: 'command' });
    const outcome = this.deps.deliverer.outcomeOf(record.id);
    const claims = message ? this.deps.claims.forReply(message) : undefined;
    // As a thread reply: held and failed replies of the session get another try in the same step.
    const recorded = await this.deps.queue.record(record, claims, this.caps.capsFor(requester.userId), { wake: true });
    if (recorded !== 'recorded') {
      this.deps.deliverer.forgetOutcome(record.id);
      if (recorded === 'duplicate') return 'already-sent';
      this.caps.refused(record, recorded, 'say');
      return recorded;
    }
    await this.steered(requester, sessionId);
    void this.deps.deliverer.kick(record.sessionId);
    return this.within(outcome);
  }

  /**
   * A Slack message someone sends into a bound thread's session on purpose (the Send to Devin shortcut): recorded like
   * a reply of that thread, with its receipts and notices, behind the replies already waiting, and its outcome awaited
   * as for `/devin say`. Its claims are the message's and the request's (`eventId`): `repeated` when this very request
   * came before (Slack sent it again; its person was answered), `already-sent` when the message reached Devin before.
   */
  async forward(binding: Binding, reply: ThreadReply & { eventId: string }): Promise<SendOutcome | 'repeated'> {
    const now = this.deps.clock.now();
    const { thread } = reply;
    const identity = { team: thread.team, channel: thread.channel, ts: reply.ts, eventId: reply.eventId };
    const record = forwardedReplyRecord(binding.sessionId, reply, now);
    this.deps.metrics?.repliesReceived.inc({ source: 'shortcut' });
    const outcome = this.deps.deliverer.outcomeOf(record.id);
    const recorded = await this.deps.queue.record(
      record,
      this.deps.claims.forReply(identity),
      this.caps.capsFor(reply.draft.user),
      { wake: true },
    );
    if (recorded === 'session-full' || recorded === 'author-full') {
      this.deps.deliverer.forgetOutcome(record.id);
      this.caps.refused(record, recorded, 'send-to-devin');
      return recorded;
    }
    if (recorded === 'duplicate') {
      this.deps.deliverer.forgetOutcome(record.id);
      const kind = await this.deps.claims.duplicateOf(identity).catch(() => undefined);
      this.deps.metrics?.repliesDeduplicated.inc({ kind: kind ?? 'message' });
      return kind === 'event_id' ? 'repeated' : 'already-sent';
    }
    this.deps.log.debug({ session_id: binding.sessionId, reply_id: record.id }, 'forwarded message recorded');
    await this.steered({ team: thread.team, userId: reply.draft.user }, binding.sessionId);
    void this.deps.deliverer.kick(binding.sessionId);
    return this.within(outcome);
  }

  /** Sends every held or failed reply of a session again, in order. */
  async resend(sessionId: string): Promise<ResendSummary> {
    const before = await this.deps.queue.list(sessionId);
    await this.deps.queue.setStates(sessionId, ['held', 'failed'], 'queued');
    await this.deps.deliverer.kick(sessionId);
    const after = await this.deps.queue.list(sessionId);
    const { held, failed } = counts(after);
    return { delivered: before.filter((r) => !after.some((a) => a.id === r.id)).length, held, failed };
  }

  async waiting(sessionId: string): Promise<{ total: number; held: number; failed: number }> {
    return counts(await this.deps.queue.list(sessionId));
  }

  /**
   * The replies waiting in a session by state, all of them and those of one person (their own, or sent by them with
   * `/devin say`), from one read of the queue.
   */
  async waitingWithMine(sessionId: string, userId: string): Promise<{ all: WaitingCounts; mine: WaitingCounts }> {
    const replies = await this.deps.queue.list(sessionId);
    return { all: counts(replies), mine: counts(replies.filter((r) => authorOf(r) === userId)) };
  }

  /** The outcome, or `queued` once `sayWaitMs` passed without one. */
  private async within(outcome: Promise<Settled>): Promise<Settled | 'queued'> {
    let timer: NodeJS.Timeout | undefined;
    const queued = new Promise<'queued'>((resolve) => {
      timer = setTimeout(() => resolve('queued'), this.deps.sayWaitMs);
      timer.unref();
    });
    try {
      return await Promise.race([outcome, queued]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The session goes to the top of the person's list; a failure there costs only that (it is logged). */
  private async steered(person: Person, sessionId: string): Promise<void> {
    try {
      await this.deps.people?.touch(person, sessionId, this.deps.clock.now());
    } catch (error) {
      this.deps.log.warn(
        { session_id: sessionId, user_id: person.userId, err: error },
        "could not update the person's sessions",
      );
    }
  }
}

/** Replies waiting in a session: how many in all, held and failed. */
export interface WaitingCounts {
  total: number;
  held: number;
  failed: number;
}

function counts(replies: Reply[]): WaitingCounts {
  return {
    total: replies.length,
    held: replies.filter((r) => r.state === 'held').length,
    failed: replies.filter((r) => r.state === 'failed').length,
  };
}
