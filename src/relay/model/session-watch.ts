import type { PullRequest } from './devin-session';
import type { SessionState, StateDetail } from './session-state';

/**
 * How far polling got in a session's message list: the last message handled, by its position, its id and its
 * timestamp. A poll handles only the messages after it. Where Devin's messages are read from a cursor, the mark
 * also keeps where the next read starts: Devin's opaque `cursor` and `cursorAt`, the position of the first message it
 * lists (at or before the mark's own message, so that the next read lists that one again and finds the mark).
 */
export interface PollMark {
  /** Position of the last handled message in the session's list; -1 before the first. */
  index: number;
  eventId?: string;
  timestamp?: string;
  /** Only in a mark converted from an earlier version's record: the ids it had handled, until the next poll. */
  legacySeen?: string[];
  cursor?: string;
  cursorAt?: number;
}

/** What polling knows of one bound session. */
export interface SessionWatch {
  sessionId: string;
  /** The session's title in Devin, as last polled. */
  title?: string;
  state?: SessionState;
  /** Devin's own words for the state, for `/devin status`. */
  status?: string;
  pullRequestUrl?: string;
  /** Every pull request, with its state, as last shown. */
  pullRequests?: PullRequest[];
  /** What the state left out, as last shown: waiting for an approval, out of quota, ended with an error. */
  detail?: StateDetail;
  /** ACUs spent, as last shown. */
  acusConsumed?: number;
  /** The last of the session's messages handled; none before the first. */
  mark?: PollMark;
  quietPolls: number;
  /**
   * When the poller last scheduled the next poll. The schedule (`PollDue`) holds the time that counts: a reply that
   * reached Devin brings it forward, and a poll due earlier than this was asked for.
   */
  nextPollAt: number;
  /** Malformed messages seen in the session (each is logged once). */
  malformed?: number;
  lastPolledAt?: number;
}
