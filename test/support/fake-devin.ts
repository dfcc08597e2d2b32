import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeDevinV3 } from './fake-devin-v3';

export interface FakeSessionMessage {
  type: string;
  event_id: string;
  message: string;
  timestamp: string;
  origin?: string;
  username?: string;
  /** v3: the member a message was sent as (`message_as_user_id`). */
  user_id?: string;
  /** v3: the files sent with the message (`attachment_urls`). */
  attachment_urls?: string[];
}

export interface FakeSession {
  session_id: string;
  url: string;
  status: string;
  status_enum: string | null;
  title: string | null;
  created_at: string;
  updated_at: string;
  messages: FakeSessionMessage[];
  pull_request: { url: string } | null;
  tags: string[];
  /** When set, message POSTs are answered 200 `{ detail: paused }` and not delivered. */
  paused?: string;
  /** v3: `status_detail` (derived from the v1 words when unset). */
  status_detail?: string | null;
  /** v3: every pull request (`pull_request` is shown as one when unset). */
  pull_requests?: Array<{ pr_url: string; pr_state: string | null }>;
  acus_consumed?: number;
  is_archived?: boolean;
  /** v3: the member the session was created as (`create_as_user_id`). */
  user_id?: string | null;
}

/** A state of a session in the words of the tests, set in the fields of the fake's API version. */
export type FakeState = 'working' | 'waiting' | 'approval' | 'asleep' | 'quota' | 'finished' | 'expired' | 'error';

export interface DevinRequest {
  method: string;
  /** path without the query string */
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are free-form JSON
  body: any;
  at: number;
  /** The query string's parameters. */
  query?: URLSearchParams;
  /** Bytes of the answer's body, once it was sent (what a client read). */
  answerBytes?: number;
}

export interface DevinScriptedAnswer {
  /** default 200 */
  status?: number;
  headers?: Record<string, string>;
  /** undefined → JSON `null` (no body for 204/304); a string is sent raw; anything else as JSON */
  body?: unknown;
  /** delay the answer (the request is recorded immediately) */
  delayMs?: number;
  /** also perform the normal side effect (e.g. deliver the message), but answer with this scripted answer */
  thenDeliver?: boolean;
}

/**
 * `'*'` matches any method. A string pattern matches the whole path, where `*` and `:name` segments match one
 * path segment (e.g. `/v1/sessions/:id/message`); a RegExp is tested against the path.
 */
export type PathPattern = string | RegExp;

interface Script {
  method: string;
  pattern: RegExp;
  answers: DevinScriptedAnswer[];
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface Waiter {
  timer: NodeJS.Timeout;
  reject: (error: Error) => void;
}

const HANG_MS = 60_000;

/**
 * A fake Devin REST API on 127.0.0.1: v1 (`apk_` keys, `/v1/sessions...`), or, started with `version: 'v3'`, the
 * organization API v3 (`cog_` tokens, `/v3/organizations/{org}/...`; see `FakeDevinV3`). Both serve the same sessions.
 */
export class FakeDevin {
  readonly requests: DevinRequest[] = [];
  readonly sessions = new Map<string, FakeSession>();
  /** When true, successful message POSTs answer 204 with no body (instead of 200 `null`). */
  noContent = false;

  private readonly deliveries = new Map<string, string[]>();
  private readonly scripts: Script[] = [];
  private readonly events = new EventEmitter();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<Waiter>();

  /** The v3 personality's state (permissions, members, attachments); undefined for a v1 fake. */
  readonly v3: FakeDevinV3 | undefined;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly apiKey: string,
    readonly version: 'v1' | 'v3' = 'v1',
    orgId = 'org-test',
  ) {
    this.events.setMaxListeners(0);
    this.v3 = version === 'v3' ? new FakeDevinV3(this, orgId) : undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(options: { apiKey?: string; version?: 'v1' | 'v3'; orgId?: string } = {}): Promise<FakeDevin> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const version = options.version ?? 'v1';
    const fake = new FakeDevin(
      server,
      (server.address() as AddressInfo).port,
      options.apiKey ?? (version === 'v3' ? 'cog_test_token' : 'apk_test_key'),
      version,
      options.orgId,
    );
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    return fake;
  }

  /** Stops the server, destroys open sockets (including hung requests) and clears pending timers and waiters. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('FakeDevin closed'));
    }
    this.waiters.clear();
    this.events.removeAllListeners();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Clears recorded requests and pending scripts; sessions and deliveries are kept. */
  reset(): void {
    this.requests.length = 0;
    this.scripts.length = 0;
  }

  /** Devin writes a message in the session (as polling will find it). */
  say(sessionId: string, eventId: string, message: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no fake session ${sessionId}`);
    session.messages.push({ type: 'devin_message', event_id: eventId, message, timestamp: new Date().toISOString() });
  }

  addSession(partial: Partial<FakeSession> = {}): FakeSession {
    const hex = randomBytes(16).toString('hex');
    const now = new Date().toISOString();
    const session: FakeSession = {
      session_id: `devin-${hex}`,
      url: `https://app.devin.ai/sessions/${hex}`,
      status: 'running',
      status_enum: 'working',
      title: 'Fake session',
      created_at: now,
      updated_at: now,
      messages: [],
      pull_request: null,
      tags: [],
      ...partial,
    };
    this.sessions.set(session.session_id, session);
    return session;
  }

  /** Message POSTs now answer 200 `{ detail }` without delivering. status/status_enum are left alone. */
  pause(id: string, detail = 'Session is suspended'): void {
    const session = this.mustGet(id);
    session.paused = detail;
  }

  resume(id: string): void {
    const session = this.mustGet(id);
    delete session.paused;
  }

  /**
   * Puts the session in a state, in the fields its API version reads: v1's `status`/`status_enum` (asleep also
   * pauses message POSTs), v3's `status`/`status_detail` (asleep is suspended for inactivity, which a message
   * resumes; quota is suspended out of credits, which it does not).
   */
  setState(id: string, state: FakeState): void {
    const session = this.mustGet(id);
    if (this.version === 'v3') {
      const [status, detail] = V3_STATES[state];
      Object.assign(session, { status, status_detail: detail });
      return;
    }
    const [status, statusEnum] = V1_STATES[state];
    Object.assign(session, { status, status_enum: statusEnum });
    if (state === 'asleep' || state === 'quota') session.paused ??= 'Session is suspended';
    else delete session.paused;
  }

  /** Records a message the session accepted: listed in the session as a person's, and in `delivered()`. */
  accept(sessionId: string, message: string, extra: Partial<FakeSessionMessage> = {}): void {
    const session = this.mustGet(sessionId);
    const timestamp = new Date().toISOString();
    session.messages.push({
      type: 'user_message',
      event_id: randomUUID(),
      message,
      timestamp,
      origin: 'api',
      ...extra,
    });
    session.updated_at = timestamp;
    const texts = this.deliveries.get(sessionId) ?? [];
    texts.push(message);
    this.deliveries.set(sessionId, texts);
    this.events.emit('delivered', sessionId);
  }

  /** Bytes of the answers to the requests recorded since `since` (an index into `requests`). */
  answerBytes(since = 0): number {
    return this.requests.slice(since).reduce((sum, r) => sum + (r.answerBytes ?? 0), 0);
  }

  /** Texts accepted via POST .../message for this session, in arrival order. */
  delivered(sessionId: string): string[] {
    return [...(this.deliveries.get(sessionId) ?? [])];
  }

  /** The next matching requests consume `answers` in order; then normal behaviour resumes. */
  script(method: string, pathPattern: PathPattern, answers: DevinScriptedAnswer[]): void {
    this.scripts.push({ method: method.toUpperCase(), pattern: toRegExp(pathPattern), answers: [...answers] });
  }

  /** The next matching request is answered (200 null) only after 60 s — or never, if close() comes first. */
  hangNext(method: string, pathPattern: PathPattern, options: { thenDeliver?: boolean } = {}): void {
    this.script(method, pathPattern, [{ delayMs: HANG_MS, thenDeliver: options.thenDeliver }]);
  }

  /** Resolves with the first request (already recorded or future) matching method and pattern. */
  waitForRequest(method: string, pathPattern: PathPattern, timeoutMs = 5000): Promise<DevinRequest> {
    const re = toRegExp(pathPattern);
    const m = method.toUpperCase();
    const match = (r: DevinRequest): boolean => (m === '*' || r.method === m) && re.test(r.path);
    return this.waitUntil(
      'request',
      () => this.requests.find(match),
      () =>
        `FakeDevin.waitForRequest(${m} ${String(pathPattern)}) timed out after ${timeoutMs} ms. ` +
        this.describeRequests(),
      timeoutMs,
    );
  }

  /** Resolves with the delivered texts once at least `n` messages were delivered to the session. */
  waitForDelivered(sessionId: string, n: number, timeoutMs = 5000): Promise<string[]> {
    return this.waitUntil(
      'delivered',
      () => {
        const texts = this.delivered(sessionId);
        return texts.length >= n ? texts : undefined;
      },
      () =>
        `FakeDevin.waitForDelivered(${sessionId}, ${n}) timed out after ${timeoutMs} ms; delivered ` +
        `${JSON.stringify(this.delivered(sessionId))}. ${this.describeRequests()}`,
      timeoutMs,
    );
  }

  private mustGet(id: string): FakeSession {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`FakeDevin: no session ${id}`);
    return session;
  }

  private describeRequests(): string {
    if (this.requests.length === 0) return 'Requests seen: none';
    const lines = this.requests.map((r) => `\n  ${r.method} ${r.path} ${truncate(JSON.stringify(r.body) ?? '')}`);
    return `Requests seen (${this.requests.length}):${lines.join('')}`;
  }

  private waitUntil<T>(
    event: string,
    check: () => T | undefined,
    describe: () => string,
    timeoutMs: number,
  ): Promise<T> {
    const found = check();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const listener = (): void => {
        const result = check();
        if (result === undefined) return;
        done();
        resolve(result);
      };
      const waiter: Waiter = {
        timer: setTimeout(() => {
          done();
          reject(new Error(describe()));
        }, timeoutMs),
        reject,
      };
      const done = (): void => {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        this.events.off(event, listener);
      };
      this.waiters.add(waiter);
      this.events.on(event, listener);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let body: unknown = null;
    let malformed = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = raw.toString('utf8');
        malformed = true;
      }
    }
    const query = new URL(req.url ?? '/', this.url).searchParams;
    const request: DevinRequest = { method, path, headers: req.headers, body, at: Date.now(), query };
    this.requests.push(request);
    this.events.emit('request', request);

    // apk_ keys work on v1 only, cog_ tokens on v3 only.
    const otherVersion = this.version === 'v3' ? path.startsWith('/v1/') : /^\/v3(beta1)?\//.test(path);
    if (req.headers.authorization !== `Bearer ${this.apiKey}` || otherVersion) {
      send(res, { status: 401, body: { detail: 'Invalid API key' } }, request);
      return;
    }

    const scripted = this.takeScript(method, path);
    if (scripted) {
      if (scripted.thenDeliver) this.route(method, path, body, malformed, query, raw);
      const answer: Answer = { status: scripted.status ?? 200, headers: scripted.headers, body: scripted.body };
      if (scripted.delayMs && scripted.delayMs > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          send(res, answer, request);
        }, scripted.delayMs);
        this.timers.add(timer);
        res.on('close', () => {
          clearTimeout(timer);
          this.timers.delete(timer);
        });
      } else {
        send(res, answer, request);
      }
      return;
    }
    send(res, this.route(method, path, body, malformed, query, raw), request);
  }

  private takeScript(method: string, path: string): DevinScriptedAnswer | undefined {
    for (const script of this.scripts) {
      if (script.answers.length === 0) continue;
      if (script.method !== '*' && script.method !== method) continue;
      script.pattern.lastIndex = 0;
      if (!script.pattern.test(path)) continue;
      const answer = script.answers.shift();
      if (script.answers.length === 0) this.scripts.splice(this.scripts.indexOf(script), 1);
      return answer;
    }
    return undefined;
  }

  /** Normal behaviour, including side effects. */
  private route(
    method: string,
    path: string,
    body: unknown,
    malformed: boolean,
    query = new URLSearchParams(),
    raw: Buffer = Buffer.alloc(0),
  ): Answer {
    if (this.v3) {
      if (malformed && !path.endsWith('/attachments')) {
        return { status: 422, body: { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] } };
      }
      return this.v3.route(method, path, query, body, raw);
    }
    const parts = path.split('/').filter(Boolean);
    if (parts[0] !== 'v1' || (parts[1] !== 'sessions' && parts[1] !== 'session')) {
      return { status: 404, body: { detail: 'Not Found' } };
    }
    if (malformed) {
      return {
        status: 422,
        body: { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] },
      };
    }
    const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};

    if (parts.length === 2) {
      if (method === 'POST') return this.createSession(fields);
      if (method === 'GET') {
        // Newest first, as Devin lists them; `limit` caps how many.
        const limit = Number(query.get('limit') ?? Number.POSITIVE_INFINITY);
        const sessions = [...this.sessions.values()].reverse().slice(0, limit > 0 ? limit : undefined);
        return { status: 200, body: { sessions: sessions.map(publicView) } };
      }
      return { status: 405, body: { detail: 'Method Not Allowed' } };
    }
    const id = decodeURIComponent(parts[2] ?? '');
    const session = this.sessions.get(id);
    if (parts.length === 3) {
      if (method !== 'GET') return { status: 405, body: { detail: 'Method Not Allowed' } };
      if (!session) return { status: 404, body: { detail: 'Session not found' } };
      return { status: 200, body: publicView(session) };
    }
    if (parts.length === 4 && parts[3] === 'message') {
      if (method !== 'POST') return { status: 405, body: { detail: 'Method Not Allowed' } };
      if (!session) return { status: 404, body: { detail: 'Session not found' } };
      if (typeof fields.message !== 'string') {
        return {
          status: 422,
          body: { detail: [{ loc: ['body', 'message'], msg: 'Field required', type: 'missing' }] },
        };
      }
      if (session.paused !== undefined) return { status: 200, body: { detail: session.paused } };
      this.accept(id, fields.message);
      return this.noContent ? { status: 204 } : { status: 200, body: null };
    }
    return { status: 404, body: { detail: 'Not Found' } };
  }

  private createSession(fields: Record<string, unknown>): Answer {
    const prompt = fields.prompt;
    if (typeof prompt !== 'string') {
      return { status: 422, body: { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] } };
    }
    if (fields.idempotent === true) {
      for (const existing of this.sessions.values()) {
        if (existing.messages[0]?.type === 'initial_user_message' && existing.messages[0].message === prompt) {
          return { status: 200, body: { session_id: existing.session_id, url: existing.url, is_new_session: false } };
        }
      }
    }
    const now = new Date().toISOString();
    const session = this.addSession({
      title: typeof fields.title === 'string' ? fields.title : 'Fake session',
      tags: Array.isArray(fields.tags) ? fields.tags.map(String) : [],
      messages: [
        { type: 'initial_user_message', event_id: randomUUID(), message: prompt, timestamp: now, origin: 'api' },
      ],
    });
    return { status: 200, body: { session_id: session.session_id, url: session.url, is_new_session: true } };
  }
}

function publicView(session: FakeSession): Omit<FakeSession, 'paused'> {
  const { paused: _paused, ...rest } = session;
  return structuredClone(rest);
}

function toRegExp(pattern: PathPattern): RegExp {
  if (pattern instanceof RegExp) return pattern;
  const source = pattern
    .split('/')
    .map((segment) =>
      segment === '*' || segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

/** v1's words for each state: [status, status_enum]. */
const V1_STATES: Record<FakeState, [string, string]> = {
  working: ['running', 'working'],
  waiting: ['blocked', 'blocked'],
  approval: ['blocked', 'blocked'],
  asleep: ['suspended', 'suspend_requested'],
  quota: ['suspended', 'suspend_requested'],
  finished: ['finished', 'finished'],
  expired: ['expired', 'expired'],
  error: ['error', 'expired'],
};

/** v3's words for each state: [status, status_detail]. */
const V3_STATES: Record<FakeState, [string, string | null]> = {
  working: ['running', 'working'],
  waiting: ['running', 'waiting_for_user'],
  approval: ['running', 'waiting_for_approval'],
  asleep: ['suspended', 'inactivity'],
  quota: ['suspended', 'out_of_credits'],
  finished: ['running', 'finished'],
  expired: ['exit', null],
  error: ['error', null],
};

function send(res: ServerResponse, answer: Answer, request?: DevinRequest): void {
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(answer.headers ?? {})) headers[key.toLowerCase()] = value;
  if (answer.status === 204 || answer.status === 304) {
    if (request) request.answerBytes = 0;
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
  if (request) request.answerBytes = Buffer.byteLength(payload);
  headers['content-type'] ??= 'application/json';
  res.writeHead(answer.status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
