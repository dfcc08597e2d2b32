import type { SessionState, StateDetail } from './session-state';

/**
 * Where a read of a session's messages starts: Devin's opaque cursor (none: the first page) and the position of the
 * first message it lists.
 */
export interface MessagesFrom {
  cursor?: string;
  at: number;
}

/**
 * A read of the messages through cursors: where it started, and where the next read starts so that it still lists
 * this read's last message (`next.at` is that message's position, or earlier).
 */
export interface MessagesRead {
  from: MessagesFrom;
  next: MessagesFrom;
}

export interface PullRequest {
  url: string;
  /** `open`, `merged`, `closed`... as Devin says; unknown when Devin does not say. */
  state?: string;
}

/** One message of a session, in the domain's words. */
export interface SessionMessage {
  /** Devin's id of the message; '' for one that could not be read (it keeps its place in the list, and is skipped). */
  id: string;
  /** Devin wrote it; a person did (in Devin's web app, or a reply this app relayed); or neither (the first prompt). */
  from: 'devin' | 'person' | 'other';
  /** Its words, without the lines that attached its files. */
  text: string;
  /** When it was written, as ISO text ('' when unknown). */
  at: string;
  /** The person's name, when Devin gives it. */
  author?: string;
  /** The files it attached or links to on Devin's own hosts, each once, in order. */
  attachments: string[];
}

/** A session's messages from some point on: `messages[0]` is at position `messagesRead.from.at` when that is set. */
export interface SessionMessages {
  messages: SessionMessage[];
  /** Items that could not be read (skipped). */
  malformedMessages: number;
  /** Set when the messages were read from a cursor. */
  messagesRead?: MessagesRead;
}

/** What Devin says of a session, in the domain's words. Absent fields are unknown. */
export interface SessionSnapshot extends SessionMessages {
  id: string;
  /** Undefined when Devin's status is none the adapter knows (the last known state is kept). */
  state?: SessionState;
  /** What the state leaves out when it matters to people (set only with a state). */
  detail?: StateDetail;
  /** Devin's own words for its status (`working / running`), for the log and `/devin status`; '' when it gave none. */
  status: string;
  title?: string;
  /** Every pull request of the session, first opened first. */
  pullRequests: PullRequest[];
  /** What the session has spent so far, in ACUs. */
  acusConsumed?: number;
  /** Archived sessions stay readable but take no more messages. */
  archived?: boolean;
  /** The Devin member the session belongs to (unset: the service user, or unknown). */
  ownerId?: string;
}
