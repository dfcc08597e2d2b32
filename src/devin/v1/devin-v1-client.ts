import type { MessagesFrom, SessionMessages, SessionSnapshot } from '../../relay/model/devin-session';
import type {
  ArchiveResult,
  CreatedSession,
  CreateSessionOptions,
  DevinApi,
  DevinCapabilities,
  KeyCheck,
  KeyVerdictListener,
  OpenedAttachment,
  PlaybookEntry,
  SendOptions,
  SendResult,
  StreamedFile,
  TerminateResult,
} from '../../relay/ports/devin';
import { DevinApiError } from '../../relay/ports/devin-errors';
import { type Answer, DevinHttp, describe, errorDetail, type Method, type Outgoing, parse } from '../http/devin-http';
import { multipartFile } from '../http/multipart-file';
import { refusal } from '../http/refusals';
import { withAttachmentLines } from '../shared/attachment-lines';
import type { DevinClientOptions } from '../shared/client-options';
import { DevinAttachments } from '../shared/devin-attachments';
import { playbookEntries } from '../shared/playbooks';
import { parseSessionRef, sessionWebUrl } from '../shared/session-ref';
import { v1Snapshot } from './v1-convert';
import { v1RefusedKey } from './v1-refusals';
import { createdSession, sendAnswer, session, sessionList } from './v1-schemas';

/** Devin's REST API v1 over undici, in the domain's words. Converts every transport and API failure into a typed error. */
export class DevinV1Client implements DevinApi {
  readonly version = 'v1';
  readonly capabilities: DevinCapabilities = {
    // v1 answers a message to an asleep session with `{detail}` and does not deliver it.
    wakesOnMessage: false,
    // v1 lists the prompt as the session's initial message, not as a person's.
    listsPromptAsMessage: false,
    // v1's create takes `playbook_id`, `snapshot_id`, `tags` and `max_acu_limit`; no repositories, no mode.
    startOptions: ['playbook', 'snapshot', 'tag', 'acu'],
    // v1 documents no archive.
    archives: false,
  };
  private readonly http: DevinHttp;
  private readonly attachments: DevinAttachments;

  constructor(private readonly options: DevinClientOptions) {
    this.http = new DevinHttp(options);
    this.attachments = new DevinAttachments({ apiUrl: options.apiUrl, storageHosts: options.attachmentHosts });
  }

  parseSessionRef(input: string): string | undefined {
    return parseSessionRef(input, this.options.webUrl);
  }

  sessionUrl(sessionId: string): string {
    return sessionWebUrl(sessionId, this.options.webUrl);
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

  /** Files reach Devin as one `ATTACHMENT:"<url>"` line each after the prompt (v1 has no other way). */
  async createSession(prompt: string, options: CreateSessionOptions = {}): Promise<CreatedSession> {
    const answer = await this.call('POST', '/v1/sessions', {
      prompt: withAttachmentLines(prompt, options.attachmentUrls),
      ...(options.title ? { title: options.title } : {}),
      ...(options.idempotent ? { idempotent: true } : {}),
      ...(options.maxAcuLimit ? { max_acu_limit: options.maxAcuLimit } : {}),
      ...(options.playbookId ? { playbook_id: options.playbookId } : {}),
      ...(options.snapshotId ? { snapshot_id: options.snapshotId } : {}),
      ...(options.tags?.length ? { tags: options.tags } : {}),
    });
    if (answer.status !== 200 && answer.status !== 201) throw this.refused('create a session', answer);
    const created = parse(createdSession, answer, 'create a session');
    return {
      sessionId: created.session_id,
      url: created.url,
      ...(typeof created.is_new_session === 'boolean' ? { isNewSession: created.is_new_session } : {}),
    };
  }

  /** The session with all its messages (v1 lists them all at every read), or undefined when Devin does not know it. */
  async getSession(sessionId: string, _from?: MessagesFrom): Promise<SessionSnapshot | undefined> {
    const answer = await this.call('GET', `/v1/sessions/${encodeURIComponent(sessionId)}`);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.refused('read the session', answer);
    return v1Snapshot(parse(session, answer, 'read the session'), this.isAttachment);
  }

  /** v1 lists a session's messages only with the session: all of them. */
  async listMessages(sessionId: string): Promise<SessionMessages | undefined> {
    const read = await this.getSession(sessionId);
    return read && { messages: read.messages, malformedMessages: read.malformedMessages };
  }

  /** At most `limit` of the key's sessions, newest first: the cheapest call that proves the key and the URL work. */
  async listSessions(limit: number): Promise<SessionSnapshot[]> {
    const answer = await this.call('GET', `/v1/sessions?limit=${encodeURIComponent(String(limit))}`);
    if (answer.status !== 200) throw this.refused('list sessions', answer);
    return parse(sessionList, answer, 'list sessions').sessions.map((s) => v1Snapshot(s, this.isAttachment));
  }

  /** Files reach Devin as one `ATTACHMENT:"<url>"` line each after the words (v1 has no other way). */
  async sendMessage(sessionId: string, text: string, options: SendOptions = {}): Promise<SendResult> {
    const message = withAttachmentLines(text, options.attachmentUrls);
    const answer = await this.call('POST', `/v1/sessions/${encodeURIComponent(sessionId)}/message`, { message });
    if (answer.status === 204) return { kind: 'delivered' };
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status !== 200) throw this.refused('send a message', answer);
    const parsed = sendAnswer.safeParse(answer.body);
    if (!parsed.success) {
      throw new DevinApiError('Devin answered a message with an unreadable body', 200, answer.text.slice(0, 200));
    }
    if (parsed.data === null) return { kind: 'delivered' };
    return { kind: 'not-running', detail: describe(parsed.data.detail) };
  }

  /**
   * Uploads a file to `POST /v1/attachments` (multipart field `file`), its bytes streamed from `file.source` as they
   * arrive, and returns the URL Devin answers (plain text). No deadline of its own: the caller's `signal` ends a
   * transfer that stalls.
   */
  async uploadAttachment(file: StreamedFile, signal: AbortSignal): Promise<string> {
    const answer = await this.http.call('POST', '/v1/attachments', {
      multipart: multipartFile('file', file),
      signal,
      accept: 'text/plain',
    });
    if (answer.status !== 200 && answer.status !== 201) throw this.refused('take an attachment', answer);
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
   * link). The key goes only to Devin's own attachment hosts, never to the storage it redirects to.
   */
  openAttachment(url: string, signal: AbortSignal): Promise<OpenedAttachment> {
    return this.http.open(url, { sendKeyTo: (target) => this.attachments.mayHaveKey(target), signal });
  }

  /** Ends the session for good (`DELETE /v1/sessions/{id}`); it cannot be resumed afterwards. */
  async terminateSession(sessionId: string): Promise<TerminateResult> {
    const answer = await this.call('DELETE', `/v1/sessions/${encodeURIComponent(sessionId)}`);
    if (answer.status === 200 || answer.status === 204) return { kind: 'terminated' };
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status === 400) return { kind: 'already-ended', detail: errorDetail(answer) ?? '' };
    throw this.refused('end the session', answer);
  }

  /** `GET /v1/playbooks`: the organization's team playbooks, as a plain list. */
  async listPlaybooks(): Promise<PlaybookEntry[]> {
    const answer = await this.call('GET', '/v1/playbooks');
    if (answer.status !== 200) throw this.refused('list the playbooks', answer);
    const items = Array.isArray(answer.body) ? answer.body : [];
    return playbookEntries(items);
  }

  /** API v1 documents no archive. */
  async archiveSession(_sessionId: string): Promise<ArchiveResult> {
    return { kind: 'unsupported' };
  }

  /** API v1 knows no organization members: messages and sessions are the key's own. */
  async findMember(_email: string): Promise<string | undefined> {
    return undefined;
  }

  private readonly isAttachment = (url: string) => this.attachments.isAttachment(url);

  private call(method: Method, path: string, json?: unknown): Promise<Answer> {
    const outgoing: Outgoing = json === undefined ? {} : { json };
    return this.http.call(method, path, outgoing);
  }

  private refused(what: string, answer: Answer): DevinApiError {
    return refusal(what, answer, { api: "Devin's API", refusedKey: () => v1RefusedKey(this.options.apiKey) });
  }
}
