import type { Reply, ReplyState } from '../model/replies';

/** Claims taken together with a reply: a copy of the message arriving later finds them and is not recorded again. */
export interface ReplyClaims {
  keys: string[];
  owner: string;
  ttlMs: number;
}

/** What delivery changes on one waiting reply; its state changes only through `setStates`. */
export type ReplyChange = Partial<Pick<Reply, 'text' | 'attempts' | 'uncertain' | 'firstAttemptAt' | 'attachments'>>;

/**
 * How many replies may wait (queued, held or failed) in the reply's session, and how many of them from its author: a
 * reply over either is not recorded.
 */
export interface ReplyCaps {
  perSession: number;
  perAuthor: number;
  /** Who sent it: counted against `perAuthor`. */
  author: string;
}

/** How a reply is recorded, beyond its claims and caps. */
export interface RecordOptions {
  /**
   * A new reply gives the session's held and failed replies another try: once it is recorded, they go back to queued
   * in the same step (what `setStates(session, ['held', 'failed'], 'queued')` does), so delivery starts without another
   * store call.
   */
  wake?: boolean;
}

/** What recording a reply did: `duplicate` when a claim or the reply existed; a full session or author records none. */
export type RecordResult = 'recorded' | 'duplicate' | 'session-full' | 'author-full';

/**
 * A reply taken back (its Slack message deleted): `withdrawn` and gone from the queue; `in-flight` when a request with
 * it went out without a clear answer (it may have reached Devin; it is never sent again); `absent` when no reply with
 * that id waits (it was delivered, dropped, or never recorded).
 */
export type Withdrawal = { kind: 'withdrawn'; reply: Reply } | { kind: 'in-flight'; reply: Reply } | { kind: 'absent' };

/**
 * A reply's new words (its Slack message edited): `revised`, to be written into what Devin reads before its next
 * attempt; `in-flight` (left as it was: it may have reached Devin already) or `absent`, as for a withdrawal.
 */
export type Revision = { kind: 'revised'; reply: Reply } | { kind: 'in-flight' } | { kind: 'absent' };

/**
 * The durable queue of replies, in the order they were written, per session. A reply is here from the moment it is
 * accepted until Devin has it (or it can never be delivered), so a restart resumes instead of losing it. Each call
 * touches the replies it names and the session's ordered index, never the whole queue: recording the 501st waiting
 * reply costs what recording the first did.
 */
export interface ReplyQueue {
  /**
   * Records a reply and takes its claims, all or nothing: nothing is written when a claim or the reply exists, or when
   * `caps` are given and the session (or its author there) has as many replies waiting as they allow.
   */
  record(reply: Reply, claims?: ReplyClaims, caps?: ReplyCaps, options?: RecordOptions): Promise<RecordResult>;
  /** The first waiting reply of a session. */
  head(sessionId: string): Promise<Reply | undefined>;
  list(sessionId: string): Promise<Reply[]>;
  /**
   * False (nothing changed) when the reply is gone or withdrawn, or, given `revisions` (how many times it was revised
   * when it was read), revised since: delivery must not send it as it read it.
   */
  update(id: string, change: ReplyChange, revisions?: number): Promise<boolean>;
  /**
   * Moves every reply of the session in one of `from` states to `to`, and returns them. A reply moved to held or
   * failed is remembered as once held (its delivery later closes the thread's notice).
   */
  setStates(sessionId: string, from: ReplyState[], to: ReplyState, problem?: string): Promise<Reply[]>;
  /** Removes a reply; `delivered` claims are taken in the same step (a reply's message that reached Devin). */
  remove(sessionId: string, id: string, delivered?: ReplyClaims): Promise<void>;
  /** Takes a reply back before it reaches Devin (see `Withdrawal`), in one step with the delivery's own marks. */
  withdraw(sessionId: string, id: string): Promise<Withdrawal>;
  /** Gives a waiting reply new words (see `Revision`), in one step with the delivery's own marks. */
  revise(sessionId: string, id: string, text: string): Promise<Revision>;
  /**
   * Sessions with a reply waiting to be sent (queued): what the sweep resumes. Held and failed replies wait for their
   * session to wake, a new reply, or Resend, so a session with only those is left out.
   */
  sessionsToSend(): Promise<string[]>;
  /** How many replies wait, by state, across every session (for metrics: a scrape, not the delivery path). */
  counts(): Promise<ReplyCounts>;
}

export interface ReplyCounts {
  queued: number;
  held: number;
  failed: number;
}

/** Orders Slack timestamps (`1700000000.000100`) exactly, as text that sorts like the times. */
export function sequenceOf(order: string): string {
  const [seconds = '', fraction = ''] = order.split('.');
  return `${seconds.padStart(12, '0')}.${fraction.padEnd(6, '0').slice(0, 6)}`;
}

/** The same order as a number of microseconds (exact: far below 2^53), for sorted sets. */
export function scoreOf(order: string): number {
  const [seconds = '0', fraction = ''] = order.split('.');
  return Number(seconds) * 1_000_000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

/** A Slack-like timestamp for the current time, for replies that do not come from a Slack message. */
export function orderAt(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}
