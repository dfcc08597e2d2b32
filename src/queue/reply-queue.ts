import type { Reply, ReplyState } from '../relay/types';

/** Claims taken together with a reply: a copy of the message arriving later finds them and is not recorded again. */
export interface ReplyClaims {
  keys: string[];
  owner: string;
  ttlMs: number;
}

/** What delivery changes on one waiting reply; its state changes only through `setStates`. */
export type ReplyChange = Partial<Pick<Reply, 'text' | 'attempts' | 'uncertain' | 'firstAttemptAt' | 'attachments'>>;

/**
 * The durable queue of replies, in the order they were written, per session. A reply is here from the moment it is
 * accepted until Devin has it (or it can never be delivered), so a restart resumes instead of losing it. Each call
 * touches the replies it names and the session's ordered index, never the whole queue: recording the 501st waiting
 * reply costs what recording the first did.
 */
export interface ReplyQueue {
  /** Records a reply and takes its claims, all or nothing; false (nothing written) when a claim or the reply exists. */
  record(reply: Reply, claims?: ReplyClaims): Promise<boolean>;
  /** The first waiting reply of a session. */
  head(sessionId: string): Promise<Reply | undefined>;
  list(sessionId: string): Promise<Reply[]>;
  update(id: string, change: ReplyChange): Promise<void>;
  /**
   * Moves every reply of the session in one of `from` states to `to`, and returns them. A reply moved to held or
   * failed is remembered as once held (its delivery later closes the thread's notice).
   */
  setStates(sessionId: string, from: ReplyState[], to: ReplyState, problem?: string): Promise<Reply[]>;
  remove(sessionId: string, id: string): Promise<void>;
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
