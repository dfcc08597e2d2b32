import type { MessagesFrom, SessionMessages, SessionSnapshot } from '../../relay/model/devin-session';
import type {
  ArchiveResult,
  ChangedSessions,
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
import { errorDetail, parse } from '../http/devin-http';
import { multipartFile } from '../http/multipart-file';
import type { DevinClientOptions } from '../shared/client-options';
import { DevinAttachments } from '../shared/devin-attachments';
import { parseSessionRef, sessionWebUrl } from '../shared/session-ref';
import { promptTag } from './prompt-tag';
import { V3Changes } from './v3-changes';
import { domainSession } from './v3-convert';
import { readInsights } from './v3-insights';
import { findMember } from './v3-members';
import { V3Messages } from './v3-messages';
import { type DevinSelf, V3Organization } from './v3-organization';
import { PAGE, pageQuery } from './v3-pages';
import { listPlaybooks } from './v3-playbooks';
import { v3Attachment, v3Page, v3Session } from './v3-schemas';
import { sendOutcome } from './v3-send';

export interface DevinV3ClientOptions extends DevinClientOptions {
  /** The organization (`org-...`); unset, it is read once from `GET /v3/self`. */
  orgId?: string;
}

/**
 * Devin's organization API v3 (`/v3/organizations/{org_id}/...`, a service user's `cog_` token) over undici, in the
 * domain's words. Messages are read from a cursor, so a poll costs what changed: after a read, the next one starts
 * just before the last message, and an idle poll lists that one message whatever the conversation's length.
 */
export class DevinV3Client implements DevinApi {
  readonly version = 'v3';
  readonly capabilities: DevinCapabilities = {
    // v3's send-message resumes a suspended session by itself.
    wakesOnMessage: true,
    // v3's message list shows the prompt as a person's message.
    listsPromptAsMessage: true,
    // v3's create takes `playbook_id`, `repos`, `tags`, `devin_mode` and `max_acu_limit`; no snapshot.
    startOptions: ['playbook', 'repo', 'tag', 'mode', 'acu'],
    archives: true,
    // v3's sessions report `acus_consumed`.
    reportsSpend: true,
  };
  private readonly org: V3Organization;
  private readonly attachments: DevinAttachments;
  private readonly messages: V3Messages;
  private readonly changes: V3Changes;

  constructor(private readonly options: DevinV3ClientOptions) {
    this.org = new V3Organization(options);
    this.attachments = new DevinAttachments({ apiUrl: options.apiUrl, storageHosts: options.attachmentHosts });
    this.messages = new V3Messages(this.org, (url) => this.attachments.isAttachment(url));
    this.changes = new V3Changes((query, cursor) => this.sessionsPage(query, cursor));
  }

  parseSessionRef(input: string): string | undefined {
    return parseSessionRef(input, this.options.webUrl);
  }

  sessionUrl(sessionId: string): string {
    return sessionWebUrl(sessionId, this.options.webUrl);
  }

  /**
   * Whether Devin accepts the token: `GET /v3/self`, the cheapest read it answers. The first one also finds the
   * organization when `DEVIN_ORG_ID` is unset, so that it is read once. Never throws.
   */
  async checkKey(): Promise<KeyCheck> {
    if (this.org.known) return this.org.http.checkKey('GET', '/v3/self');
    try {
      await this.org.orgId();
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
    this.org.http.onKeyVerdict(listener);
  }

  /** An attachment's bytes, following Devin's redirect to its storage; the token only to Devin's own hosts. */
  openAttachment(url: string, signal: AbortSignal): Promise<OpenedAttachment> {
    return this.org.http.open(url, { sendKeyTo: (target) => this.attachments.mayHaveKey(target), signal });
  }

  /** The organization's id: `DEVIN_ORG_ID`, or the service user's own, read once (again after a failure). */
  orgId(): Promise<string> {
    return this.org.orgId();
  }

  self(): Promise<DevinSelf> {
    return this.org.self();
  }

  /**
   * v3 has no idempotent create. An idempotent one is tagged with a digest of its prompt and files and looked for by
   * that tag first, so that a create whose answer was lost returns the session it made, as v1's `idempotent: true`
   * does.
   */
  async createSession(prompt: string, options: CreateSessionOptions = {}): Promise<CreatedSession> {
    const urls = options.attachmentUrls ?? [];
    const tag = options.idempotent ? promptTag(prompt, urls) : undefined;
    if (tag) {
      const existing = await this.listPage(`tags=${encodeURIComponent(tag)}&first=1`, 'look for the session');
      const found = existing[0];
      if (found)
        return {
          sessionId: found.session_id,
          url: found.url || this.sessionUrl(found.session_id),
          isNewSession: false,
        };
    }
    const answer = await this.org.call('POST', '/sessions', {
      prompt,
      ...(urls.length ? { attachment_urls: urls } : {}),
      ...(options.title ? { title: options.title } : {}),
      ...(tag || options.tags?.length ? { tags: [...(options.tags ?? []), ...(tag ? [tag] : [])] } : {}),
      ...(options.maxAcuLimit ? { max_acu_limit: options.maxAcuLimit } : {}),
      ...(options.playbookId ? { playbook_id: options.playbookId } : {}),
      ...(options.repos?.length ? { repos: options.repos } : {}),
      ...(options.devinMode ? { devin_mode: options.devinMode } : {}),
      ...(options.asUserId ? { create_as_user_id: options.asUserId } : {}),
    });
    if (answer.status !== 200 && answer.status !== 201) {
      const permission = options.asUserId ? 'ImpersonateOrgSessions' : 'ManageOrgSessions';
      throw this.org.refused('create a session', answer, permission);
    }
    const created = parse(v3Session, answer, 'create a session');
    return {
      sessionId: created.session_id,
      url: created.url || this.sessionUrl(created.session_id),
      ...(tag ? { isNewSession: true } : {}),
    };
  }

  /**
   * The session's status, then its messages from `from` on (all without it): read in that order, so that a session
   * seen ending has no message left unread.
   */
  async getSession(sessionId: string, from?: MessagesFrom): Promise<SessionSnapshot | undefined> {
    const session = await this.readSession(sessionId);
    if (!session) return undefined;
    const listed = await this.listMessages(sessionId, from);
    return listed && { ...session, ...listed };
  }

  /** The messages from `from` on (all without it), by cursor; undefined when Devin does not know the session. */
  listMessages(sessionId: string, from?: MessagesFrom): Promise<SessionMessages | undefined> {
    return this.messages.list(sessionId, from);
  }

  /** `GET .../sessions?updated_after=`, newest first, page by page (`first=200`, `after`), stopping at the mark. */
  listChangedSessions(after: number | undefined, maxPages: number): Promise<ChangedSessions> {
    return this.changes.list(after, maxPages);
  }

  async listSessions(limit: number): Promise<SessionSnapshot[]> {
    return (await this.listPage(`first=${Math.max(1, Math.min(PAGE, limit))}`, 'list sessions')).map(domainSession);
  }

  /**
   * Sends a message, its files as `attachment_urls`; a suspended session resumes by itself. The answer is the
   * session, with no flag saying what happened (`sendOutcome` reads it).
   */
  async sendMessage(sessionId: string, text: string, options: SendOptions = {}): Promise<SendResult> {
    const urls = options.attachmentUrls ?? [];
    const answer = await this.org.call('POST', `/sessions/${encodeURIComponent(sessionId)}/messages`, {
      message: text,
      ...(urls.length ? { attachment_urls: urls } : {}),
      ...(options.asUserId ? { message_as_user_id: options.asUserId } : {}),
    });
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status !== 200 && answer.status !== 201) {
      const permission = options.asUserId ? 'ImpersonateOrgSessions' : 'ManageOrgSessions';
      throw this.org.refused('send a message', answer, permission);
    }
    return sendOutcome(answer.body, () => this.readSession(sessionId).then((read) => read?.detail));
  }

  /** `POST .../attachments`, multipart field `file`, streamed; Devin answers `{attachment_id, name, url}`. */
  async uploadAttachment(file: StreamedFile, signal: AbortSignal): Promise<string> {
    const path = await this.org.path('/attachments');
    const answer = await this.org.http.call('POST', path, { multipart: multipartFile('file', file), signal });
    if (answer.status !== 200 && answer.status !== 201) {
      throw this.org.refused('upload a file', answer, 'UseDevinSessions');
    }
    return parse(v3Attachment, answer, 'upload a file').url;
  }

  /** `DELETE .../sessions/{devin_id}`: irreversible. */
  async terminateSession(sessionId: string): Promise<TerminateResult> {
    const answer = await this.org.call('DELETE', `/sessions/${encodeURIComponent(sessionId)}?archive=false`);
    if (answer.status === 200 || answer.status === 204) return { kind: 'terminated' };
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status === 400 || answer.status === 409)
      return { kind: 'already-ended', detail: errorDetail(answer) ?? '' };
    throw this.org.refused('terminate the session', answer, 'ManageOrgSessions');
  }

  /** `GET .../playbooks`, every page (`ManageAccountPlaybooks`). */
  listPlaybooks(): Promise<PlaybookEntry[]> {
    return listPlaybooks(this.org);
  }

  /** `POST .../sessions/{devin_id}/archive`: the session sleeps and is archived; it cannot be continued. */
  async archiveSession(sessionId: string): Promise<ArchiveResult> {
    const answer = await this.org.call('POST', `/sessions/${encodeURIComponent(sessionId)}/archive`);
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status !== 200 && answer.status !== 201 && answer.status !== 204) {
      throw this.org.refused('archive the session', answer, 'ManageOrgSessions');
    }
    return { kind: 'archived' };
  }

  /** `GET .../sessions/{devin_id}/insights`: undefined when there are none or the organization does not allow it. */
  sessionInsights(sessionId: string): Promise<string[] | undefined> {
    return readInsights(this.org, sessionId);
  }

  /** The organization member with exactly this email (`/v3beta1/.../members/users?email=`), or undefined. */
  findMember(email: string): Promise<string | undefined> {
    return findMember(this.org, email);
  }

  private async readSession(sessionId: string): Promise<SessionSnapshot | undefined> {
    const answer = await this.org.call('GET', `/sessions/${encodeURIComponent(sessionId)}`);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.org.refused('read the session', answer, 'ViewOrgSessions');
    return domainSession(parse(v3Session, answer, 'read the session'));
  }

  private async sessionsPage(query: string, cursor: string | undefined) {
    const answer = await this.org.call('GET', `/sessions?${query ? `${query}&` : ''}${pageQuery(PAGE, cursor)}`);
    if (answer.status !== 200) throw this.org.refused('list the sessions that changed', answer, 'ViewOrgSessions');
    return parse(v3Page, answer, 'list the sessions that changed');
  }

  private async listPage(query: string, what: string) {
    const answer = await this.org.call('GET', `/sessions?${query}`);
    if (answer.status !== 200) throw this.org.refused(what, answer, 'ViewOrgSessions');
    return parse(v3Page, answer, what).items.flatMap((item) => {
      const session = v3Session.safeParse(item);
      return session.success ? [session.data] : [];
    });
  }
}
