import type { Dispatcher } from 'undici';
import type { MessagesFrom, SessionMessages, SessionSnapshot } from '../model/devin-session';

/** What ending a session did. Failures (refused key, server trouble, no answer) are thrown as `DevinError`s. */
export type TerminateResult =
  | { kind: 'terminated' }
  /** Devin answered that the session had already ended: nothing was changed. */
  | { kind: 'already-ended'; detail: string }
  | { kind: 'unknown-session' };

/** Whether Devin accepts the key: refused (401/403), unreachable (no answer), or another answer (`error`). */
export type KeyCheck = { ok: true } | { ok: false; reason: 'refused' | 'unreachable' | 'error'; detail: string };

/** Told of every answer that shows whether Devin accepts the key: false on 401/403, true on 2xx. */
export type KeyVerdictListener = (accepted: boolean, detail?: string) => void;

/** Devin's answer to an attachment's GET, after its redirects; the body is still to be read. */
export interface OpenedAttachment {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Dispatcher.ResponseData['body'];
}

/** A file whose bytes come from a stream, read once as the request is sent. */
export interface StreamedFile {
  name: string;
  type?: string;
  source: AsyncIterable<Uint8Array>;
}

/** What happened to a message. Failures (refused key, server trouble, no answer) are thrown as `DevinError`s. */
export type SendResult =
  /** `woke`: the session was asleep and the message woke it. */
  | { kind: 'delivered'; woke?: boolean }
  /** Not delivered: the session cannot take messages now (asleep, ended, archived or out of quota). */
  | { kind: 'not-running'; detail: string }
  | { kind: 'unknown-session' };

export interface SendOptions {
  /** Files uploaded with `uploadAttachment`, for Devin to read with the message. */
  attachmentUrls?: string[];
  /** The organization member the message is sent as, instead of the service user (`findMember`). */
  asUserId?: string;
}

export interface CreatedSession {
  sessionId: string;
  url: string;
  /** Answered when the create was idempotent: false when Devin returned the session it already had for this prompt. */
  isNewSession?: boolean;
}

export interface CreateSessionOptions {
  title?: string;
  /** Devin returns the session it already has for the same prompt (and files) instead of creating a second one. */
  idempotent?: boolean;
  /** The most ACUs the session may spend. */
  maxAcuLimit?: number;
  /** The organization member the session belongs to, instead of the service user (`findMember`). */
  asUserId?: string;
  /** Files uploaded with `uploadAttachment`, for Devin to read with the prompt. */
  attachmentUrls?: string[];
}

/** What the domain does differently depending on the API behind the port, as the adapter declares it. */
export interface DevinCapabilities {
  /** Sending a message to an asleep session wakes it, rather than being refused until it wakes by itself. */
  wakesOnMessage: boolean;
  /** The session's message list shows the prompt as a person's message (expected as an echo, not posted back). */
  listsPromptAsMessage: boolean;
  /** Sessions report what they spent (`acus_consumed`): meters, cap warnings, budgets and costs work. */
  reportsSpend?: boolean;
}

/** How people name sessions: ids, and addresses on Devin's web app. */
export interface SessionRefs {
  /** A session's id from what people paste (its id, or its address on Devin's web app); undefined when neither. */
  parseSessionRef(input: string): string | undefined;
  /** Where people see the session on Devin's web app. */
  sessionUrl(sessionId: string): string;
}

/**
 * Devin, as the bridge needs it: sessions created, read (with the messages after a point), listed, messaged and
 * terminated, files uploaded and opened, and people found. Each adapter (one per API version) converts its version's
 * shapes and errors at this boundary, so the domain sees one Devin in its own words.
 */
export interface DevinApi extends SessionRefs {
  /** The API version behind the port, for the log and the metrics only: the domain branches on `capabilities`. */
  readonly version: string;
  readonly capabilities: DevinCapabilities;
  createSession(prompt: string, options?: CreateSessionOptions): Promise<CreatedSession>;
  /**
   * The session, with its messages from `from` on (all of them without it; an API that reads no cursor lists all),
   * or undefined when Devin does not know it.
   */
  getSession(sessionId: string, from?: MessagesFrom): Promise<SessionSnapshot | undefined>;
  /** The session's messages from `from` on (all without it); undefined for an unknown session. */
  listMessages(sessionId: string, from?: MessagesFrom): Promise<SessionMessages | undefined>;
  /** At most `limit` of the sessions, newest first (possibly without their messages). */
  listSessions(limit: number): Promise<SessionSnapshot[]>;
  sendMessage(sessionId: string, text: string, options?: SendOptions): Promise<SendResult>;
  /** Uploads a file, streamed; resolves with the URL to pass in `attachmentUrls`. */
  uploadAttachment(file: StreamedFile, signal: AbortSignal): Promise<string>;
  /**
   * GETs one of Devin's attachments (a URL from a message's `attachments`), following redirects; the key goes only to
   * Devin's own hosts, never to the storage it redirects to. The body is the caller's to read or dump.
   */
  openAttachment(url: string, signal: AbortSignal): Promise<OpenedAttachment>;
  /** Ends the session for good. */
  terminateSession(sessionId: string): Promise<TerminateResult>;
  /** Whether Devin accepts the key (a cheap authenticated read); never throws. */
  checkKey(): Promise<KeyCheck>;
  /** Calls `listener` whenever an answer shows whether the key is accepted. */
  onKeyVerdict(listener: KeyVerdictListener): void;
  /** The Devin user id of the organization member with this email, or undefined (none, or no members to find). */
  findMember(email: string): Promise<string | undefined>;
  /**
   * Devin's insights on an ended session, as short sentences; undefined when there are none or the organization does not
   * allow reading them (403/404). Absent where the API has none.
   */
  sessionInsights?(sessionId: string): Promise<string[] | undefined>;
}
