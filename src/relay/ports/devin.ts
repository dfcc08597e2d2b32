import type { Dispatcher } from 'undici';
import type { DevinApiVersion } from '../../config/load-config';
import type { StreamedFile } from '../../devin/http/multipart-file';
import type { DevinSession, DevinSessionMessage, MessagesFrom, MessagesRead } from '../../devin/v1/v1-schemas';

export type { DevinApiVersion } from '../../config/load-config';
export type { StreamedFile } from '../../devin/http/multipart-file';
export type {
  DevinSession,
  DevinSessionMessage,
  MessagesFrom,
  MessagesRead,
  PullRequest,
} from '../../devin/v1/v1-schemas';

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

/** What happened to a message. Failures (refused key, server trouble, no answer) are thrown as `DevinError`s. */
export type SendResult =
  /** `woke`: the session was asleep and the message woke it (API v3 resumes a suspended session by itself). */
  | { kind: 'delivered'; woke?: boolean }
  /** Not delivered: the session cannot take messages now (asleep on v1; ended, archived or out of quota on v3). */
  | { kind: 'not-running'; detail: string }
  | { kind: 'unknown-session' };

/** A session's messages from some point on: `messages[0]` is at position `messagesRead.from.at` when it is set. */
export interface SessionMessages {
  messages: DevinSessionMessage[];
  /** Items that could not be read (skipped). */
  malformedMessages: number;
  /** Set when read from a cursor (API v3). */
  messagesRead?: MessagesRead;
}

export interface SendOptions {
  /** Files uploaded with `uploadAttachment`, for Devin to read with the message. */
  attachmentUrls?: string[];
  /** API v3: the organization member the message is sent as, instead of the service user. */
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
  /** Devin returns the session it already has for the same prompt instead of creating a second one. */
  idempotent?: boolean;
  /** The most ACUs the session may spend (`max_acu_limit`). */
  maxAcuLimit?: number;
  /** API v3: the organization member the session belongs to, instead of the service user. */
  asUserId?: string;
}

/**
 * Devin, as the bridge needs it: sessions created, read (with the messages after a point), listed, messaged and
 * terminated, files uploaded, and people found. `DevinClient` speaks API v1 and `DevinV3Client` the organization API
 * v3; each converts its version's shapes and errors at this boundary, so the domain sees one Devin.
 */
export interface DevinApi {
  readonly version: DevinApiVersion;
  /** True when sending a message to an asleep session wakes it (v3), rather than being refused (v1). */
  readonly wakesOnMessage: boolean;
  createSession(prompt: string, options?: CreateSessionOptions): Promise<CreatedSession>;
  /**
   * The session, with its messages from `from` on (all of them without it; API v1 always lists all), or undefined
   * when Devin does not know it.
   */
  getSession(sessionId: string, from?: MessagesFrom): Promise<DevinSession | undefined>;
  /** The session's messages from `from` on (all without it; v1 always lists all); undefined for an unknown session. */
  listMessages(sessionId: string, from?: MessagesFrom): Promise<SessionMessages | undefined>;
  /** At most `limit` of the sessions, newest first (without their messages on v3). */
  listSessions(limit: number): Promise<DevinSession[]>;
  sendMessage(sessionId: string, message: string, options?: SendOptions): Promise<SendResult>;
  /** Uploads a file, streamed; resolves with the URL to pass in `attachmentUrls`. */
  uploadAttachment(file: StreamedFile, signal: AbortSignal): Promise<string>;
  /**
   * GETs one of Devin's attachments, following redirects; the key goes only where `sendKeyTo` allows (Devin's own
   * hosts), never to the storage it redirects to. The body is the caller's to read or dump.
   */
  openAttachment(
    url: string,
    options: { sendKeyTo: (url: URL) => boolean; signal: AbortSignal },
  ): Promise<OpenedAttachment>;
  /** Ends the session for good. */
  terminateSession(sessionId: string): Promise<TerminateResult>;
  /** Whether Devin accepts the key (a cheap authenticated read); never throws. */
  checkKey(): Promise<KeyCheck>;
  /** Calls `listener` whenever an answer shows whether the key is accepted. */
  onKeyVerdict(listener: KeyVerdictListener): void;
  /** The Devin user id of the organization member with this email, or undefined (API v1 has no members: always). */
  findMember(email: string): Promise<string | undefined>;
}
