import { createHash } from 'node:crypto';
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
import { DevinApiError, type DevinPermission } from '../../relay/ports/devin-errors';
import { splitAttachmentLines } from '../attachment-lines';
import { type Answer, DevinHttp, errorDetail, type Method, type Outgoing, parse } from '../http/devin-http';
import { multipartFile, type StreamedFile } from '../http/multipart-file';
import { refusal } from '../http/refusals';
import { sessionWebUrl } from '../session-ref';
import type { DevinSession, MessagesFrom } from '../v1/v1-schemas';
import { isQuotaReason, quotaWords } from './suspension';
import { domainMessages, domainSession } from './v3-convert';
import { readFromCursor } from './v3-pages';
import { type V3Page, v3Attachment, v3Member, v3Page, v3Self, v3Session } from './v3-schemas';

export interface DevinV3ClientOptions {
  apiUrl: string;
  /** A service user's `cog_` token. */
  apiKey: string;
  /** The organization (`org-...`); unset, it is read once from `GET /v3/self`. */
  orgId?: string;
  timeoutMs: number;
  /** Devin's web app, for a session's address when the API gives none (`DEVIN_WEB_URL`). */
  webUrl: string;
  dispatcher?: Dispatcher;
  metrics?: Metrics;
}

/** Who the token is (`GET /v3/self`). */
export interface DevinSelf {
  principalType?: string;
  serviceUserId?: string;
  serviceUserName?: string;
  orgId?: string;
}

/** The most items one page lists (Devin's documented maximum). */
const PAGE = 200;

/**
 * Devin's organization API v3 (`/v3/organizations/{org_id}/...`, a service user's `cog_` token) over undici, in the
 * domain's shapes. Messages are read from a cursor, so a poll costs what changed: after a read, the next one starts
 * just before the last message, and an idle poll lists that one message whatever the conversation's length.
 */
export class DevinV3Client implements DevinApi {
  readonly version = 'v3' as const;
  /** v3's send-message resumes a suspended session by itself. */
  readonly wakesOnMessage = true;
  private readonly http: DevinHttp;
  private org: Promise<string> | undefined;

  constructor(private readonly options: DevinV3ClientOptions) {
    this.http = new DevinHttp(options);
    if (options.orgId) this.org = Promise.resolve(options.orgId);
  }

  /**
   * Whether Devin accepts the token: `GET /v3/self`, the cheapest read it answers. The first one also finds the
   * organization when `DEVIN_ORG_ID` is unset, so that it is read once. Never throws.
   */
  async checkKey(): Promise<KeyCheck> {
    if (this.org) return this.http.checkKey('GET', '/v3/self');
    try {
      await this.orgId();
      return { ok: true };
    } catch (error) {
      if (error instanceof DevinApiError) {
        const refused = error.status === 401 || error.status === 403;
        const detail = `HTTP ${error.status}${error.detail ? `: ${error.detail}` : ''}`;
        return { ok: false, reason: refused ? 'refused' : 'error', detail };
      }
      return { ok: false, reason: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Calls `listener` whenever an answer shows whether the token is accepted (a 401/403 refusal, or a success). */
  onKeyVerdict(listener: KeyVerdictListener): void {
    this.http.onKeyVerdict(listener);
  }

  /** An attachment's bytes, following Devin's redirect to its storage; the token only to Devin's own hosts. */
  openAttachment(
    url: string,
    options: { sendKeyTo: (url: URL) => boolean; signal: AbortSignal },
  ): Promise<OpenedAttachment> {
    return this.http.open(url, options);
  }

  /** The organization's id: `DEVIN_ORG_ID`, or the service user's own, read once (again after a failure). */
  orgId(): Promise<string> {
    this.org ??= this.self().then((self) => {
      if (self.orgId) return self.orgId;
      throw new DevinApiError(
        'GET /v3/self named no organization for DEVIN_API_KEY; set DEVIN_ORG_ID (org-...) to the organization to use',
        200,
      );
    });
    this.org.catch(() => {
      this.org = undefined;
    });
    return this.org;
  }

  async self(): Promise<DevinSelf> {
    const answer = await this.http.call('GET', '/v3/self');
    if (answer.status !== 200) throw this.refused('read who DEVIN_API_KEY is (GET /v3/self)', answer);
    const self = parse(v3Self, answer, 'GET /v3/self');
    return {
      ...(self.principal_type ? { principalType: self.principal_type } : {}),
      ...(self.service_user_id ? { serviceUserId: self.service_user_id } : {}),
      ...(self.service_user_name ? { serviceUserName: self.service_user_name } : {}),
      ...(self.org_id ? { orgId: self.org_id } : {}),
    };
  }

  /**
   * v3 has no idempotent create. An idempotent one is tagged with a digest of its prompt and looked for by that tag
   * first, so that a create whose answer was lost returns the session it made, as v1's `idempotent: true` does.
   */
  async createSession(prompt: string, options: CreateSessionOptions = {}): Promise<CreatedSession> {
    const tag = options.idempotent ? promptTag(prompt) : undefined;
    if (tag) {
      const existing = await this.listPage(`tags=${encodeURIComponent(tag)}&first=1`, 'look for the session');
      const found = existing[0];
      if (found)
        return {
          sessionId: found.session_id,
          url: found.url || sessionWebUrl(found.session_id, this.options.webUrl),
          isNewSession: false,
        };
    }
    const { text: words, urls } = splitAttachmentLines(prompt);
    const answer = await this.call('POST', '/sessions', {
      prompt: words,
      ...(urls.length ? { attachment_urls: urls } : {}),
      ...(options.title ? { title: options.title } : {}),
      ...(tag ? { tags: [tag] } : {}),
      ...(options.maxAcuLimit ? { max_acu_limit: options.maxAcuLimit } : {}),
      ...(options.asUserId ? { create_as_user_id: options.asUserId } : {}),
    });
    if (answer.status !== 200 && answer.status !== 201) {
      throw this.refused('create a session', answer, options.asUserId ? 'ImpersonateOrgSessions' : 'ManageOrgSessions');
    }
    const created = parse(v3Session, answer, 'create a session');
    return {
      sessionId: created.session_id,
      url: created.url || sessionWebUrl(created.session_id, this.options.webUrl),
      ...(tag ? { isNewSession: true } : {}),
    };
  }

  /**
   * The session's status, then its messages from `from` on (all without it): read in that order, so that a session
   * seen ending has no message left unread. A cursor Devin no longer takes (400, 422) is dropped: the list is read
   * from the start instead.
   */
  async getSession(sessionId: string, from?: MessagesFrom): Promise<DevinSession | undefined> {
    const session = await this.readSession(sessionId);
    if (!session) return undefined;
    const listed = await this.listMessages(sessionId, from);
    return listed && { ...session, ...listed };
  }

  /** The messages from `from` on (all without it), by cursor; undefined when Devin does not know the session. */
  async listMessages(sessionId: string, from?: MessagesFrom): Promise<SessionMessages | undefined> {
    const read = (start: MessagesFrom) =>
      readFromCursor((cursor, first) => this.messagesPage(sessionId, cursor, first), start);
    let start: MessagesFrom = from ?? { at: 0 };
    let pages: { items: unknown[]; next: MessagesFrom };
    try {
      pages = await read(start).catch((error: unknown) => {
        if (!(start.cursor && error instanceof DevinApiError && (error.status === 400 || error.status === 422))) {
          throw error;
        }
        start = { at: 0 };
        return read(start);
      });
    } catch (error) {
      if (error instanceof DevinApiError && error.status === 404) return undefined;
      throw error;
    }
    const { messages, malformed } = domainMessages(pages.items);
    return { messages, malformedMessages: malformed, messagesRead: { from: start, next: pages.next } };
  }

  async listSessions(limit: number): Promise<DevinSession[]> {
    return (await this.listPage(`first=${Math.max(1, Math.min(PAGE, limit))}`, 'list sessions')).map(domainSession);
  }

  /**
   * Sends a message; a suspended session resumes by itself. The answer is the session, with no flag saying what
   * happened: a session that ended, errored or is archived did not take it (held, as v1's `{detail}`), and one still
   * suspended is read again, since only a read tells why (out of quota or credits: it does not wake, so held).
   */
  async sendMessage(sessionId: string, text: string, options: SendOptions = {}): Promise<SendResult> {
    // Files travel as `attachment_urls`, not as v1's `ATTACHMENT:` lines in the words.
    const { text: message, urls } = splitAttachmentLines(text);
    const attachmentUrls = [...(options.attachmentUrls ?? []), ...urls];
    const answer = await this.call('POST', `/sessions/${encodeURIComponent(sessionId)}/messages`, {
      message,
      ...(attachmentUrls.length ? { attachment_urls: attachmentUrls } : {}),
      ...(options.asUserId ? { message_as_user_id: options.asUserId } : {}),
    });
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status !== 200 && answer.status !== 201) {
      throw this.refused('send a message', answer, options.asUserId ? 'ImpersonateOrgSessions' : 'ManageOrgSessions');
    }
    const parsed = v3Session.safeParse(answer.body);
    // Devin took it (200); what it answered cannot be read, and sending it again would make a second copy.
    if (!parsed.success) return { kind: 'delivered' };
    const session = parsed.data;
    if (session.is_archived) return notRunning('the session is archived and takes no more messages');
    if (session.status === 'exit') return notRunning('the session has ended (status exit) and takes no more messages');
    if (session.status === 'error') return notRunning('the session ended with an error and takes no more messages');
    if (session.status === 'resuming') return { kind: 'delivered', woke: true };
    if (session.status !== 'suspended') return { kind: 'delivered' };
    const reason = await this.readSession(sessionId).then(
      (read) => read?.statusDetail,
      () => undefined,
    );
    if (isQuotaReason(reason)) {
      return notRunning(
        `Devin suspended the session because ${quotaWords(reason)} (${reason}), and a reply does not wake it`,
      );
    }
    return { kind: 'delivered', woke: true };
  }

  /** `POST .../attachments`, multipart field `file`, streamed; Devin answers `{attachment_id, name, url}`. */
  async uploadAttachment(file: StreamedFile, signal: AbortSignal): Promise<string> {
    const path = `/v3/organizations/${encodeURIComponent(await this.orgId())}/attachments`;
    const answer = await this.http.call('POST', path, { multipart: multipartFile('file', file), signal });
    if (answer.status !== 200 && answer.status !== 201) throw this.refused('upload a file', answer, 'UseDevinSessions');
    return parse(v3Attachment, answer, 'upload a file').url;
  }

  /** `DELETE .../sessions/{devin_id}`: irreversible. */
  async terminateSession(sessionId: string): Promise<TerminateResult> {
    const answer = await this.call('DELETE', `/sessions/${encodeURIComponent(sessionId)}?archive=false`);
    if (answer.status === 200 || answer.status === 204) return { kind: 'terminated' };
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status === 400 || answer.status === 409)
      return { kind: 'already-ended', detail: errorDetail(answer) ?? '' };
    throw this.refused('terminate the session', answer, 'ManageOrgSessions');
  }

  /** The organization member with exactly this email (`/v3beta1/.../members/users?email=`), or undefined. */
  async findMember(email: string): Promise<string | undefined> {
    const org = encodeURIComponent(await this.orgId());
    const path = `/v3beta1/organizations/${org}/members/users?email=${encodeURIComponent(email)}&first=10`;
    const answer = await this.http.call('GET', path);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.refused('look up an organization member', answer, 'ViewOrgMembership');
    const wanted = email.trim().toLowerCase();
    for (const item of parse(v3Page, answer, 'look up an organization member').items) {
      const member = v3Member.safeParse(item);
      if (member.success && (member.data.email ?? wanted).trim().toLowerCase() === wanted) return member.data.user_id;
    }
    return undefined;
  }

  private async readSession(sessionId: string): Promise<DevinSession | undefined> {
    const answer = await this.call('GET', `/sessions/${encodeURIComponent(sessionId)}`);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.refused('read the session', answer, 'ViewOrgSessions');
    return domainSession(parse(v3Session, answer, 'read the session'));
  }

  private async messagesPage(sessionId: string, cursor: string | undefined, first: number): Promise<V3Page> {
    const query = `first=${first}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await this.call('GET', `/sessions/${encodeURIComponent(sessionId)}/messages?${query}`);
    if (answer.status !== 200) throw this.refused("read the session's messages", answer, 'ViewOrgSessions');
    return parse(v3Page, answer, "read the session's messages");
  }

  private async listPage(query: string, what: string) {
    const answer = await this.call('GET', `/sessions?${query}`);
    if (answer.status !== 200) throw this.refused(what, answer, 'ViewOrgSessions');
    return parse(v3Page, answer, what).items.flatMap((item) => {
      const session = v3Session.safeParse(item);
      return session.success ? [session.data] : [];
    });
  }

  /** A request under the organization: `path` is relative to `/v3/organizations/{org_id}`. */
  private async call(method: Method, path: string, json?: unknown): Promise<Answer> {
    const base = `/v3/organizations/${encodeURIComponent(await this.orgId())}`;
    const outgoing: Outgoing = json === undefined ? {} : { json };
    return this.http.call(method, `${base}${path}`, outgoing);
  }

  private refused(what: string, answer: Answer, permission?: DevinPermission): DevinApiError {
    return refusal(what, answer, {
      version: 'v3',
      apiKey: this.options.apiKey,
      ...(permission ? { permission } : {}),
    });
  }
}

function notRunning(detail: string): SendResult {
  return { kind: 'not-running', detail };
}

/** The tag an idempotent create carries: the same prompt, the same tag. */
export function promptTag(prompt: string): string {
  return `devin-slack-${createHash('sha256').update(prompt).digest('hex').slice(0, 24)}`;
}
