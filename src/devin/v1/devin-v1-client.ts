import type { Dispatcher } from 'undici';
import type { Metrics } from '../../ops/metrics';
import type {
  CreatedSession,
  CreateSessionOptions,
  DevinApi,
  KeyCheck,
  KeyVerdictListener,
  OpenedAttachment,
  SendOptions,
  SendResult,
  SessionMessages,
  TerminateResult,
} from '../../relay/ports/devin';
import { DevinApiError } from '../../relay/ports/devin-errors';
import { type Answer, DevinHttp, describe, errorDetail, type Method, type Outgoing, parse } from '../http/devin-http';
import { multipartFile, type StreamedFile } from '../http/multipart-file';
import { refusal } from '../http/refusals';
import { createdSession, type DevinSession, sendAnswer, session, sessionList } from './v1-schemas';

export type {
  CreatedSession,
  CreateSessionOptions,
  KeyCheck,
  OpenedAttachment,
  SendOptions,
  SendResult,
  TerminateResult,
} from '../../relay/ports/devin';
export { endpointOf, parseRetryAfter } from '../http/devin-http';

export interface DevinClientOptions {
  apiUrl: string;
  apiKey: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Each request is timed by endpoint and answer class. */
  metrics?: Metrics;
}

/** Devin's REST API v1 over undici. Converts every transport and API failure into a typed error. */
export class DevinClient implements DevinApi {
  readonly version = 'v1' as const;
  /** v1 answers a message to an asleep session with `{detail}` and does not deliver it. */
  readonly wakesOnMessage = false;
  private readonly http: DevinHttp;

  constructor(private readonly options: DevinClientOptions) {
    this.http = new DevinHttp(options);
  }

  /**
   * Whether Devin accepts the key, through the cheapest authenticated read (one session listed). Never throws: an
   * answer that is no success is a value naming why.
   */
  checkKey(): Promise<KeyCheck> {
    return this.http.checkKey('GET', '/v1/sessions?limit=1');
  }

  /** Calls `listener` whenever an answer shows whether the key is accepted (a 401/403 refusal, or a success). */
  onKeyVerdict(listener: KeyVerdictListener): void {
    this.http.onKeyVerdict(listener);
  }

  async createSession(prompt: string, options: CreateSessionOptions = {}): Promise<CreatedSession> {
    const answer = await this.call('POST', '/v1/sessions', {
      prompt,
      ...(options.title ? { title: options.title } : {}),
      ...(options.idempotent ? { idempotent: true } : {}),
      ...(options.maxAcuLimit ? { max_acu_limit: options.maxAcuLimit } : {}),
    });
    if (answer.status !== 200 && answer.status !== 201) throw failure('create a session', answer, this.options);
    const created = parse(createdSession, answer, 'create a session');
    return {
      sessionId: created.session_id,
      url: created.url,
      ...(typeof created.is_new_session === 'boolean' ? { isNewSession: created.is_new_session } : {}),
    };
  }

  /** The session with all its messages (v1 lists them all at every read), or undefined when Devin does not know it. */
  async getSession(sessionId: string): Promise<DevinSession | undefined> {
    const answer = await this.call('GET', `/v1/sessions/${encodeURIComponent(sessionId)}`);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw failure('read the session', answer, this.options);
    return parse(session, answer, 'read the session');
  }

  /** v1 lists a session's messages only with the session: all of them. */
  async listMessages(sessionId: string): Promise<SessionMessages | undefined> {
    const read = await this.getSession(sessionId);
    return read && { messages: read.messages, malformedMessages: read.malformedMessages };
  }

  /** At most `limit` of the key's sessions, newest first: the cheapest call that proves the key and the URL work. */
  async listSessions(limit: number): Promise<DevinSession[]> {
    const answer = await this.call('GET', `/v1/sessions?limit=${encodeURIComponent(String(limit))}`);
    if (answer.status !== 200) throw failure('list sessions', answer, this.options);
    return parse(sessionList, answer, 'list sessions').sessions;
  }

  /** Files reach Devin as one `ATTACHMENT:"<url>"` line each after the words (v1 has no other way). */
  async sendMessage(sessionId: string, text: string, options: SendOptions = {}): Promise<SendResult> {
    const message = withAttachmentLines(text, options.attachmentUrls);
    const answer = await this.call('POST', `/v1/sessions/${encodeURIComponent(sessionId)}/message`, { message });
    if (answer.status === 204) return { kind: 'delivered' };
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status !== 200) throw failure('send a message', answer, this.options);
    const parsed = sendAnswer.safeParse(answer.body);
    if (!parsed.success) {
      throw new DevinApiError('Devin answered a message with an unreadable body', 200, answer.text.slice(0, 200));
    }
    if (parsed.data === null) return { kind: 'delivered' };
    return { kind: 'not-running', detail: describe(parsed.data.detail) };
  }

  /**
   * Uploads a file to `POST /v1/attachments` (multipart field `file`), its bytes streamed from `file.source` as they
   * arrive, and returns the URL Devin answers (plain text), for an `ATTACHMENT:"<url>"` line. No deadline of its own:
   * the caller's `signal` ends a transfer that stalls.
   */
  async uploadAttachment(file: StreamedFile, signal: AbortSignal): Promise<string> {
    const answer = await this.http.call('POST', '/v1/attachments', {
      multipart: multipartFile('file', file),
      signal,
      accept: 'text/plain',
    });
    if (answer.status !== 200 && answer.status !== 201) throw failure('take an attachment', answer, this.options);
    // Plain text by the documentation; a JSON string in some answers.
    const url = typeof answer.body === 'string' ? answer.body.trim() : answer.text.trim();
    if (!/^https?:\/\/[^\s"]+$/.test(url)) {
      throw new DevinApiError(
        "Devin's answer to an attachment was not a URL",
        answer.status,
        answer.text.slice(0, 200),
      );
    }
    return url;
  }

  /**
   * GETs an attachment, following redirects (Devin answers `/attachments/...` with a redirect to a short-lived storage
   * link). The key is sent only where `sendKeyTo` allows (Devin's own hosts), never to the storage it redirects to.
   */
  openAttachment(
    url: string,
    options: { sendKeyTo: (url: URL) => boolean; signal: AbortSignal },
  ): Promise<OpenedAttachment> {
    return this.http.open(url, options);
  }

  /** Ends the session for good (`DELETE /v1/sessions/{id}`); it cannot be resumed afterwards. */
  async terminateSession(sessionId: string): Promise<TerminateResult> {
    const answer = await this.call('DELETE', `/v1/sessions/${encodeURIComponent(sessionId)}`);
    if (answer.status === 200 || answer.status === 204) return { kind: 'terminated' };
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status === 400) return { kind: 'already-ended', detail: errorDetail(answer) ?? '' };
    throw failure('end the session', answer, this.options);
  }

  /** API v1 knows no organization members: messages and sessions are the key's own. */
  async findMember(_email: string): Promise<string | undefined> {
    return undefined;
  }

  private call(method: Method, path: string, json?: unknown): Promise<Answer> {
    const outgoing: Outgoing = json === undefined ? {} : { json };
    return this.http.call(method, path, outgoing);
  }
}

/** The words, then one `ATTACHMENT:"<url>"` line per file: what v1 reads as attached files. */
export function withAttachmentLines(text: string, urls: string[] | undefined): string {
  if (!urls?.length) return text;
  return [text, ...urls.map((url) => `ATTACHMENT:"${url}"`)].join('\n');
}

function failure(what: string, answer: Answer, options: DevinClientOptions): DevinApiError {
  return refusal(what, answer, { version: 'v1', apiKey: options.apiKey });
}
