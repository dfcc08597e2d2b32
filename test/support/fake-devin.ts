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

export interface FakeSessionMessage {
  type: string;
  event_id: string;
  message: string;
  timestamp: string;
  origin?: string;
  username?: string;
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
}

export interface DevinRequest {
  method: string;
  /** path without the query string */
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are free-form JSON
  body: any;
  at: number;
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

/** A fake Devin REST API v1 on 127.0.0.1. */
export class FakeDevin {
  readonly requests: DevinRequest[] = [];
  readonly sessions = new Map<string, FakeSession>();
  /** When true, successful message POSTs answer 204 with no body (instead of 200 `null`). */
  noContent = false;

  private readonly deliveries = new Map<string, string[]>();
  private readonly terminations = new Map<string, number>();
  private readonly scripts: Script[] = [];
  private readonly events = new EventEmitter();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<Waiter>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly apiKey: string,
  ) {
    this.events.setMaxListeners(0);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(options: { apiKey?: string } = {}): Promise<FakeDevin> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const fake = new FakeDevin(server, (server.address() as AddressInfo).port, options.apiKey ?? 'apk_test_key');
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

  /** How many times `DELETE /v1/sessions/:id` ended this session (a refused second call does not count). */
  terminatedCount(sessionId: string): number {
    return this.terminations.get(sessionId) ?? 0;
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
    const request: DevinRequest = { method, path, headers: req.headers, body, at: Date.now() };
    this.requests.push(request);
    this.events.emit('request', request);

    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      send(res, { status: 401, body: { detail: 'Invalid API key' } });
      return;
    }

    const scripted = this.takeScript(method, path);
    if (scripted) {
      if (scripted.thenDeliver) this.route(method, path, body, malformed);
      const answer: Answer = { status: scripted.status ?? 200, headers: scripted.headers, body: scripted.body };
      if (scripted.delayMs && scripted.delayMs > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          send(res, answer);
        }, scripted.delayMs);
        this.timers.add(timer);
        res.on('close', () => {
          clearTimeout(timer);
          this.timers.delete(timer);
        });
      } else {
        send(res, answer);
      }
      return;
    }
    send(res, this.route(method, path, body, malformed));
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
  private route(method: string, path: string, body: unknown, malformed: boolean): Answer {
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
      if (method === 'GET') return { status: 200, body: { sessions: [...this.sessions.values()].map(publicView) } };
      return { status: 405, body: { detail: 'Method Not Allowed' } };
    }
    const id = decodeURIComponent(parts[2] ?? '');
    const session = this.sessions.get(id);
    if (parts.length === 3) {
      if (method === 'DELETE') return this.terminate(id, session);
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
      const timestamp = new Date().toISOString();
      session.messages.push({
        type: 'user_message',
        event_id: randomUUID(),
        message: fields.message,
        timestamp,
        origin: 'api',
      });
      session.updated_at = timestamp;
      const texts = this.deliveries.get(id) ?? [];
      texts.push(fields.message);
      this.deliveries.set(id, texts);
      this.events.emit('delivered', id);
      return this.noContent ? { status: 204 } : { status: 200, body: null };
    }
    return { status: 404, body: { detail: 'Not Found' } };
  }

  /** `DELETE /v1/sessions/:id`: the session exits for good (400 when it already had). */
  private terminate(id: string, session: FakeSession | undefined): Answer {
    if (!session) return { status: 404, body: { detail: 'Session not found' } };
    if (session.status === 'exit') return { status: 400, body: { detail: 'Session has already exited' } };
    session.status = 'exit';
    session.status_enum = 'finished';
    session.updated_at = new Date().toISOString();
    this.terminations.set(id, this.terminatedCount(id) + 1);
    return { status: 200, body: { detail: 'Session terminated successfully' } };
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

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(answer.headers ?? {})) headers[key.toLowerCase()] = value;
  if (answer.status === 204 || answer.status === 304) {
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
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
