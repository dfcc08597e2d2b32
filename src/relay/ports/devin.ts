import type { Dispatcher } from 'undici';
import type { MessagesFrom, SessionMessages, SessionSnapshot } from '../model/devin-session';
import type { DevinMode, StartOptionKey } from '../model/start-options';

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
  /** The playbook the session follows (`playbook_id`). */
  playbookId?: string;
  /** The machine snapshot the session starts from (v1 `snapshot_id`). */
  snapshotId?: string;
  /** `owner/name` repositories the session works on (v3 `repos`). */
  repos?: string[];
  tags?: string[];
  /** v3 `devin_mode`. */
  devinMode?: DevinMode;
}

/** A playbook of the organization, as a name given at a start is looked up in. */
export interface PlaybookEntry {
  id: string;
  title: string;
  /** Its macro (`!deploy`), when it has one. */
  macro?: string;
}

/** What archiving a session did (v3's `POST .../archive`). Failures are thrown as `DevinError`s. */
export type ArchiveResult = { kind: 'archived' } | { kind: 'unknown-session' } | { kind: 'unsupported' };

/** What the domain does differently depending on the API behind the port, as the adapter declares it. */
export interface DevinCapabilities {
  /** Sending a message to an asleep session wakes it, rather than being refused until it wakes by itself. */
  wakesOnMessage: boolean;
  /** The session's message list shows the prompt as a person's message (expected as an echo, not posted back). */
  listsPromptAsMessage: boolean;
  /** The start options a session's create carries (`mode:` is v3's `devin_mode`, `snapshot:` v1's `snapshot_id`). */
  startOptions: readonly StartOptionKey[];
  /** Sessions can be archived (v3's `POST .../archive`). */
  archives: boolean;
  /** Sessions report what they spent (`acus_consumed`): meters, cap warnings, budgets and costs work. */
  reportsSpend?: boolean;
}

/** A session Devin lists as changed, with when it last changed by Devin's own clock (ms since the epoch). */
export interface ChangedSession {
  sessionId: string;
  updatedAt: number;
}

/** The sessions that changed after a point, newest first. */
export interface ChangedSessions {
  sessions: ChangedSession[];
  /** False when the list went on past the pages read: sessions that changed may be missing. */
  complete: boolean;
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
  /**
   * The sessions that changed after `after` (Devin's clock, ms since the epoch), newest first, reading at most
   * `maxPages` pages; without `after`, the first page of the newest. Only an API that can filter its list by the time
   * of the last change has it (v3); without it, each session is polled on its own schedule.
   */
  listChangedSessions?(after: number | undefined, maxPages: number): Promise<ChangedSessions>;
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
  /** The organization's playbooks (a name given at a start is looked up among them). */
  listPlaybooks(): Promise<PlaybookEntry[]>;
  /** Archives the session (it sleeps and cannot be continued); `unsupported` where the API has no archive. */
  archiveSession(sessionId: string): Promise<ArchiveResult>;
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
