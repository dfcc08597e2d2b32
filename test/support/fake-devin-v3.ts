import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeSession, FakeSessionMessage } from './fake-devin';

/** The service user permissions API v3 checks (see Devin's API reference). */
export type FakePermission =
  | 'ManageOrgSessions'
  | 'ViewOrgSessions'
  | 'ImpersonateOrgSessions'
  | 'ViewOrgMembership'
  | 'UseDevinSessions'
  | 'ManageAccountPlaybooks';

export const ALL_PERMISSIONS: FakePermission[] = [
  'ManageAccountPlaybooks',
  'ManageOrgSessions',
  'ViewOrgSessions',
  'ImpersonateOrgSessions',
  'ViewOrgMembership',
  'UseDevinSessions',
];

export interface FakeMember {
  user_id: string;
  email: string;
  name?: string;
}

export interface FakeAttachment {
  attachment_id: string;
  name: string;
  url: string;
  contentType: string;
  content: Buffer;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** What the v3 personality needs of the fake it belongs to. */
export interface FakeDevinCore {
  readonly sessions: Map<string, FakeSession>;
  addSession(partial?: Partial<FakeSession>): FakeSession;
  /** Devin's clock as ISO text. */
  isoNow(): string;
  /** Records a message accepted for the session (as `delivered()` lists them). */
  accept(sessionId: string, message: string, extra?: Partial<FakeSessionMessage>): void;
  /** The organization's playbooks, as both versions list them. */
  readonly playbooks: FakePlaybook[];
  /** The sessions archived (`POST .../archive`), in order. */
  readonly archived: string[];
}

/** A playbook as Devin lists it (the fields the docs show that matter here). */
export interface FakePlaybook {
  playbook_id: string;
  title: string;
  macro?: string | null;
}

/** The statuses v3 documents; a fake session with another (v1) word is shown as its v3 equivalent. */
const V3_STATUSES = new Set(['new', 'claimed', 'running', 'exit', 'error', 'suspended', 'resuming', 'creating']);
const QUOTA = new Set([
  'usage_limit_exceeded',
  'out_of_credits',
  'out_of_quota',
  'no_quota_allocation',
  'payment_declined',
  'org_usage_limit_exceeded',
  'total_session_limit_exceeded',
]);
const DETAIL_OF_V1: Record<string, string> = {
  working: 'working',
  resumed: 'working',
  blocked: 'waiting_for_user',
  finished: 'finished',
};
const MAX_PAGE = 200;

/**
 * Devin's organization API v3 as documented: `/v3/self`, sessions under `/v3/organizations/{org_id}/`, cursor
 * pagination (`first`, `after`; `end_cursor` null on the last page), auto-resume on send, `status_detail`,
 * `pull_requests`, `acus_consumed`, the members lookup (`/v3beta1/.../members/users?email=`) and attachments. Each
 * call checks the permission the docs name for it; remove one from `permissions` to have that call answered 403.
 */
export class FakeDevinV3 {
  readonly permissions = new Set<FakePermission>(ALL_PERMISSIONS);
  readonly members: FakeMember[] = [];
  readonly attachments: FakeAttachment[] = [];
  /** What `GET /v3/self` answers as the organization (null: none, as for a token without one). */
  selfOrgId: string | null;
  /** Each session's insights (`analysis`), as `GET .../sessions/{id}/insights` answers them; none: 404. */
  readonly insights = new Map<string, Record<string, unknown>>();
  /** Set to answer every insights read with this status instead (403: the organization does not allow them). */
  insightsStatus: number | undefined;

  constructor(
    private readonly core: FakeDevinCore,
    readonly orgId: string,
  ) {
    this.selfOrgId = orgId;
  }

  /** The session as `SessionResponse` (status_detail only where get and list fill it). */
  view(session: FakeSession, options: { detail?: boolean } = {}): Record<string, unknown> {
    const { status, status_detail } = v3Status(session);
    const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
    return {
      session_id: session.session_id,
      url: session.url,
      status,
      ...(options.detail === false ? {} : { status_detail }),
      tags: session.tags,
      org_id: this.orgId,
      created_at: seconds(session.created_at),
      updated_at: seconds(session.updated_at),
      acus_consumed: session.acus_consumed ?? 0,
      pull_requests:
        session.pull_requests ?? (session.pull_request ? [{ pr_url: session.pull_request.url, pr_state: null }] : []),
      title: session.title,
      user_id: session.user_id ?? null,
      is_archived: session.is_archived ?? false,
      origin: 'api',
    };
  }

  route(method: string, path: string, query: URLSearchParams, body: unknown, raw: Buffer): Answer {
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'v3' && parts[1] === 'self' && parts.length === 2) {
      if (method !== 'GET') return { status: 405, body: { detail: 'Method Not Allowed' } };
      return {
        status: 200,
        body: {
          principal_type: 'service_user',
          service_user_id: 'service-user-1',
          service_user_name: 'devin-slack',
          org_id: this.selfOrgId,
        },
      };
    }
    const members = parts[0] === 'v3beta1' && parts[3] === 'members';
    if ((parts[0] !== 'v3' && !members) || parts[1] !== 'organizations') {
      return { status: 404, body: { detail: 'Not Found' } };
    }
    if (decodeURIComponent(parts[2] ?? '') !== this.orgId) {
      return { status: 404, body: { detail: 'Organization not found' } };
    }
    const rest = parts.slice(3);
    const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    if (members) return this.membersLookup(method, rest, query);
    if (rest[0] === 'attachments' && rest.length === 1) return this.upload(method, raw);
    if (rest[0] === 'playbooks' && rest.length === 1) return this.listPlaybooks(method, query);
    if (rest[0] !== 'sessions') return { status: 404, body: { detail: 'Not Found' } };
    if (rest.length === 1) {
      if (method === 'POST') return this.create(fields);
      if (method === 'GET') return this.list(query);
      return { status: 405, body: { detail: 'Method Not Allowed' } };
    }
    const session = this.core.sessions.get(decodeURIComponent(rest[1] ?? ''));
    if (rest.length === 2) {
      if (method === 'GET') {
        if (!this.permissions.has('ViewOrgSessions')) return forbidden();
        if (!session) return { status: 404, body: { detail: 'Session not found' } };
        // A resume asked for by a message has finished by the next read.
        if (session.status === 'resuming') {
          Object.assign(session, { status: 'running', status_detail: 'working', updated_at: this.core.isoNow() });
        }
        return { status: 200, body: this.view(session) };
      }
      if (method === 'DELETE') {
        if (!this.permissions.has('ManageOrgSessions')) return forbidden();
        if (!session) return { status: 404, body: { detail: 'Session not found' } };
        Object.assign(session, { status: 'exit', status_detail: null, updated_at: this.core.isoNow() });
        return { status: 200, body: this.view(session, { detail: false }) };
      }
      return { status: 405, body: { detail: 'Method Not Allowed' } };
    }
    if (rest.length === 3 && rest[2] === 'archive') return this.archive(method, session);
    if (rest.length === 3 && rest[2] === 'insights') {
      if (method !== 'GET') return { status: 405, body: { detail: 'Method Not Allowed' } };
      if (this.insightsStatus) return { status: this.insightsStatus, body: { detail: 'Insights are not available' } };
      if (!this.permissions.has('ViewOrgSessions')) return forbidden();
      const analysis = session && this.insights.get(session.session_id);
      if (!session || !analysis) return { status: 404, body: { detail: 'No insights for this session' } };
      return { status: 200, body: { ...this.view(session), analysis } };
    }
    if (rest.length === 3 && rest[2] === 'messages') {
      if (method === 'GET') return this.messages(session, query);
      if (method === 'POST') return this.send(session, fields);
      return { status: 405, body: { detail: 'Method Not Allowed' } };
    }
    return { status: 404, body: { detail: 'Not Found' } };
  }

  /** `GET .../playbooks`: paginated, `ManageAccountPlaybooks`. */
  private listPlaybooks(method: string, query: URLSearchParams): Answer {
    if (method !== 'GET') return { status: 405, body: { detail: 'Method Not Allowed' } };
    if (!this.permissions.has('ManageAccountPlaybooks')) return forbidden();
    const page = paginate(
      this.core.playbooks.map((p) => ({ ...p, access_type: 'org', body: '', org_id: this.orgId, created_at: 0 })),
      query,
    );
    return 'status' in page ? page : { status: 200, body: page };
  }

  /** `POST .../sessions/{id}/archive`: the session sleeps and is archived (`ManageOrgSessions`). */
  private archive(method: string, session: FakeSession | undefined): Answer {
    if (method !== 'POST') return { status: 405, body: { detail: 'Method Not Allowed' } };
    if (!this.permissions.has('ManageOrgSessions')) return forbidden();
    if (!session) return { status: 404, body: { detail: 'Session not found' } };
    Object.assign(session, { status: 'suspended', status_detail: 'user_request', is_archived: true });
    this.core.archived.push(session.session_id);
    return { status: 200, body: this.view(session, { detail: false }) };
  }

  private create(fields: Record<string, unknown>): Answer {
    if (!this.permissions.has('ManageOrgSessions')) return forbidden();
    if (fields.devin_mode !== undefined && !['normal', 'fast', 'lite'].includes(String(fields.devin_mode))) {
      return { status: 400, body: { detail: `Invalid devin_mode: ${String(fields.devin_mode)}` } };
    }
    if (typeof fields.prompt !== 'string') {
      return { status: 422, body: { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] } };
    }
    const asUser = typeof fields.create_as_user_id === 'string' ? fields.create_as_user_id : undefined;
    if (asUser && !this.permissions.has('ImpersonateOrgSessions')) return forbidden();
    if (asUser && !this.members.some((m) => m.user_id === asUser)) {
      return { status: 422, body: { detail: 'create_as_user_id is not a member of the organization' } };
    }
    const now = this.core.isoNow();
    const session = this.core.addSession({
      title: typeof fields.title === 'string' ? fields.title : 'Fake session',
      tags: Array.isArray(fields.tags) ? fields.tags.map(String) : [],
      user_id: asUser ?? null,
      messages: [
        { type: 'initial_user_message', event_id: randomUUID(), message: fields.prompt, timestamp: now, origin: 'api' },
      ],
    });
    return { status: 200, body: this.view(session, { detail: false }) };
  }

  /**
   * Newest first (by `updated_at`); `tags` keeps the sessions with every tag named, `session_ids` those named,
   * `updated_after` / `updated_before` (Unix seconds, exclusive) those that changed in between.
   */
  private list(query: URLSearchParams): Answer {
    if (!this.permissions.has('ViewOrgSessions')) return forbidden();
    const tags = query.getAll('tags');
    const ids = query
      .getAll('session_ids')
      .flatMap((v) => v.split(','))
      .filter(Boolean);
    const bound = (name: string) => (query.has(name) ? Number(query.get(name)) : undefined);
    const after = bound('updated_after');
    const before = bound('updated_before');
    if ([after, before].some((v) => v !== undefined && !Number.isFinite(v))) {
      return { status: 422, body: { detail: [{ loc: ['query', 'updated_after'], msg: 'must be an integer' }] } };
    }
    const seconds = (s: FakeSession) => Math.floor(Date.parse(s.updated_at) / 1000);
    const sessions = [...this.core.sessions.values()]
      .reverse()
      .filter((s) => tags.every((t) => s.tags.includes(t)))
      .filter((s) => ids.length === 0 || ids.includes(s.session_id))
      .filter((s) => (after === undefined || seconds(s) > after) && (before === undefined || seconds(s) < before))
      .sort((a, b) => seconds(b) - seconds(a));
    const page = paginate(sessions, query);
    if ('status' in page) return page;
    return { status: 200, body: { ...page, items: page.items.map((s) => this.view(s)) } };
  }

  private messages(session: FakeSession | undefined, query: URLSearchParams): Answer {
    if (!this.permissions.has('ViewOrgSessions')) return forbidden();
    if (!session) return { status: 404, body: { detail: 'Session not found' } };
    const page = paginate(session.messages, query);
    if ('status' in page) return page;
    return { status: 200, body: { ...page, items: page.items.map(messageItem) } };
  }

  /** A suspended session resumes (unless it is out of quota); one that ended or is archived takes nothing. */
  private send(session: FakeSession | undefined, fields: Record<string, unknown>): Answer {
    if (!this.permissions.has('ManageOrgSessions')) return forbidden();
    if (!session) return { status: 404, body: { detail: 'Session not found' } };
    if (typeof fields.message !== 'string') {
      return { status: 422, body: { detail: [{ loc: ['body', 'message'], msg: 'Field required', type: 'missing' }] } };
    }
    const asUser = typeof fields.message_as_user_id === 'string' ? fields.message_as_user_id : undefined;
    if (asUser && !this.permissions.has('ImpersonateOrgSessions')) return forbidden();
    const { status, status_detail } = v3Status(session);
    const ended = session.is_archived || status === 'exit' || status === 'error';
    if (!ended && !(status === 'suspended' && QUOTA.has(status_detail ?? ''))) {
      if (status === 'suspended') Object.assign(session, { status: 'resuming', status_detail: null });
      const urls = Array.isArray(fields.attachment_urls) ? fields.attachment_urls.map(String) : [];
      this.core.accept(session.session_id, fields.message, {
        ...(asUser ? { user_id: asUser } : {}),
        ...(urls.length ? { attachment_urls: urls } : {}),
      });
    }
    return { status: 200, body: this.view(session, { detail: false }) };
  }

  private membersLookup(method: string, rest: string[], query: URLSearchParams): Answer {
    if (method !== 'GET' || rest.join('/') !== 'members/users') return { status: 404, body: { detail: 'Not Found' } };
    if (!this.permissions.has('ViewOrgMembership')) return forbidden();
    const email = query.get('email')?.toLowerCase();
    const found = this.members.filter((m) => email === undefined || m.email.toLowerCase() === email);
    const page = paginate(found, query);
    if ('status' in page) return page;
    return {
      status: 200,
      body: { ...page, items: page.items.map((m) => ({ ...m, name: m.name ?? m.email, role_assignments: [] })) },
    };
  }

  private upload(method: string, raw: Buffer): Answer {
    if (method !== 'POST') return { status: 405, body: { detail: 'Method Not Allowed' } };
    if (!this.permissions.has('UseDevinSessions')) return forbidden();
    const file = parseMultipartFile(raw);
    if (!file) return { status: 422, body: { detail: [{ loc: ['body', 'file'], msg: 'Field required' }] } };
    const attachment_id = randomBytes(8).toString('hex');
    const url = `https://app.devin.ai/attachments/${attachment_id}/${encodeURIComponent(file.name)}`;
    this.attachments.push({ attachment_id, url, ...file });
    return { status: 200, body: { attachment_id, name: file.name, url } };
  }
}

/** A fake session's status in v3's words: its own when it has one, else its v1 words translated. */
export function v3Status(session: FakeSession): { status: string; status_detail: string | null } {
  if (V3_STATUSES.has(session.status)) {
    const derived =
      session.status === 'running'
        ? (DETAIL_OF_V1[session.status_enum ?? ''] ?? 'working')
        : session.status === 'suspended'
          ? 'inactivity'
          : null;
    return { status: session.status, status_detail: session.status_detail ?? derived };
  }
  const word = session.status_enum ?? session.status;
  if (word === 'blocked') return { status: 'running', status_detail: 'waiting_for_user' };
  if (word === 'finished' || word === 'expired' || word === 'exit') return { status: 'exit', status_detail: null };
  if (word === 'suspend_requested' || word === 'suspended') {
    return { status: 'suspended', status_detail: session.status_detail ?? 'inactivity' };
  }
  return { status: session.status, status_detail: session.status_detail ?? null };
}

function messageItem(m: FakeSessionMessage): Record<string, unknown> {
  return {
    event_id: m.event_id,
    message: m.message,
    source: m.type === 'devin_message' ? 'devin' : 'user',
    created_at: Math.floor(Date.parse(m.timestamp) / 1000),
  };
}

/** Cursors are opaque to clients; this fake's encode a position. */
const cursorOf = (position: number) => Buffer.from(`at:${position}`).toString('base64url');

function positionOf(cursor: string | null): number | undefined {
  if (cursor === null) return 0;
  const match = /^at:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

function paginate<T>(
  all: T[],
  query: URLSearchParams,
): { items: T[]; has_next_page: boolean; end_cursor: string | null; total: number } | Answer {
  const first = query.has('first') ? Number(query.get('first')) : 100;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    return { status: 422, body: { detail: [{ loc: ['query', 'first'], msg: 'must be between 1 and 200' }] } };
  }
  const start = positionOf(query.get('after'));
  if (start === undefined) return { status: 400, body: { detail: 'Invalid cursor' } };
  const items = all.slice(start, start + first);
  const more = start + first < all.length;
  return { items, has_next_page: more, end_cursor: more ? cursorOf(start + first) : null, total: all.length };
}

function forbidden(): Answer {
  return { status: 403, body: { detail: 'Forbidden: the service user lacks the permission for this call' } };
}

/** The file part of a multipart body (enough for the one file field clients send). */
function parseMultipartFile(raw: Buffer): { name: string; contentType: string; content: Buffer } | undefined {
  const text = raw.toString('latin1');
  const boundary = /^--([^\r\n]+)\r\n/.exec(text)?.[1];
  if (!boundary) return undefined;
  const headEnd = text.indexOf('\r\n\r\n');
  const head = text.slice(0, headEnd);
  const name = /filename="([^"]*)"/.exec(head)?.[1];
  if (headEnd < 0 || name === undefined || !/name="file"/.test(head)) return undefined;
  const end = text.lastIndexOf(`\r\n--${boundary}--`);
  if (end < headEnd) return undefined;
  return {
    name: Buffer.from(name, 'latin1').toString('utf8'),
    contentType: /Content-Type: ([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream',
    content: raw.subarray(headEnd + 4, end),
  };
}
