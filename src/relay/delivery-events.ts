import type { Reply } from './model/replies';

/** What delivery tells of each reply, for polling to follow it up. */
export interface DeliveryEvents {
  /** Before a reply's first attempt: its words will show up in the session (and must not be echoed back). */
  sending(sessionId: string, text: string): Promise<void>;
  /** The reply reached Devin (its author steered the session last); `woke`: the session was asleep and it woke it. */
  delivered(sessionId: string, reply: Reply, outcome?: { woke?: boolean }): Promise<void>;
  held(sessionId: string): Promise<void>;
}
