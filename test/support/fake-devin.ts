import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { FakeDevinV3, type FakePlaybook } from './fake-devin-v3';
import { patternBytes } from './file-bytes';
import { Waits } from './waits';

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

/** A file uploaded to `POST /v1/attachments`: what arrived in its multipart `file` part. */
export interface FakeUpload {
  name: string;
  type: string;
  size: number;
  sha256: string;
  /** The URL answered for it. */
  url: string;
  at: number;
}

/** An attachment this fake serves (`serveAttachment`), at `/attachments/<id>/<name>` on its API and its storage. */
interface ServedAttachment {
  id: string;
  name: string;
  type: string;
  size: number;
  content?: Buffer;
  /** Sent without `content-length` (chunked), as a server that does not know the length would. */
  chunked: boolean;
}

const HANG_MS = 60_000;

/**
 * A fake Devin REST API on 127.0.0.1: v1 (`apk_` keys, `/v1/sessions...`), or, started with `version: 'v3'`, the
 * organization API v3 (`cog_` tokens, `/v3/organizations/{org}/...`; see `FakeDevinV3`). Both serve the same sessions.
 */
export class FakeDevin {
  readonly requests: DevinRequest[] = [];
  /** Requests dropped unanswered while `unreachable`. */
  dropped = 0;
  private unreachableFor = 0;
  readonly sessions = new Map<string, FakeSession>();
  /** The organization's playbooks (`GET /v1/playbooks`, v3's `GET .../playbooks`). */
  readonly playbooks: FakePlaybook[] = [];
  /** Sessions archived (v3 only: v1 documents no archive), in order. */
  readonly archived: string[] = [];
  /** When true, successful message POSTs answer 204 with no body (instead of 200 `null`). */
  noContent = false;
  /** Files uploaded to `POST /v1/attachments`, in order. */
  readonly uploads: FakeUpload[] = [];
  /** Answer an upload's URL as a JSON string (as Devin's documentation shows) instead of plain text. */
  quoteAttachmentUrls = false;
  /** Downloads of a served attachment from the bucket, with whether they carried a key (they must not). */
  readonly storageReads: Array<{ name: string; keyed: boolean; at: number }> = [];
  /**
   * Where an attachment's redirect leads: its short-lived signed link (`/presigned/...`, served without a key). By
   * default the API's own origin (the one origin the app is configured with); `bucketUrl` is a host of its own.
   */
  presignedOrigin: string;
  private readonly served = new Map<string, ServedAttachment>();
  private readonly hung = new Set<ServerResponse>();

  private readonly deliveries = new Map<string, string[]>();
  private readonly terminations = new Map<string, number>();
  private readonly scripts: Script[] = [];
  private readonly waits = new Waits();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** The v3 personality's state (permissions, members, attachments); undefined for a v1 fake. */
  readonly v3: FakeDevinV3 | undefined;
  /**
   * Devin's clock, for the times it stamps (`updated_at`, messages): the real time, unless a test or bench on virtual
   * time gives it its own.
   */
  now: () => number = () => Date.now();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    /** The one key accepted (others get 401); change it to refuse the app's key, and back to accept it again. */
    public apiKey: string,
    /** Devin's storage host: serves `/attachments/...` as the API does (with the key), redirecting to the bucket. */
    private readonly storage: Server,
    readonly storagePort: number,
    /** Where attachments really are: short-lived signed links that take no API key (as presigned S3 links). */
    private readonly bucket: Server,
    readonly bucketPort: number,
    readonly version: 'v1' | 'v3' = 'v1',
    orgId = 'org-test',
  ) {
    this.v3 = version === 'v3' ? new FakeDevinV3(this, orgId) : undefined;
    this.presignedOrigin = this.url;
  }

  /** Devin's clock as ISO text. */
  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  /** The bucket as a host of its own (nothing configures it): `presignedOrigin` may be set to it. */
  get bucketUrl(): string {
    return `http://127.0.0.1:${this.bucketPort}`;
  }

  /** The storage server's host (`127.0.0.1:<port>`), for `DEVIN_ATTACHMENT_HOSTS`. */
  get storageHost(): string {
    return `127.0.0.1:${this.storagePort}`;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(options: { apiKey?: string; version?: 'v1' | 'v3'; orgId?: string } = {}): Promise<FakeDevin> {
    const listen = async () => {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      return { server, port: (server.address() as AddressInfo).port };
    };
    const api = await listen();
    const storage = await listen();
    const bucket = await listen();
    const version = options.version ?? 'v1';
    const fake = new FakeDevin(
      api.server,
      api.port,
      options.apiKey ?? (version === 'v3' ? 'cog_test_token' : 'apk_test_key'),
      storage.server,
      storage.port,
      bucket.server,
      bucket.port,
      version,
      options.orgId,
    );
    const failed = (res: ServerResponse) => (error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    };
    api.server.on('request', (req, res) => {
      fake.handle(req, res).catch(failed(res));
    });
    storage.server.on('request', (req, res) => {
      req.resume();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const found = req.method === 'GET' && path.startsWith('/attachments/');
      (found ? fake.redirectToStorage(req, res, path) : Promise.resolve(send(res, { status: 404, body: {} }))).catch(
        failed(res),
      );
    });
    bucket.server.on('request', (req, res) => {
      fake.serveBucket(req, res).catch(failed(res));
    });
    return fake;
  }

  /** Stops the server, destroys open sockets (including hung requests) and clears pending timers and waiters. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waits.close('FakeDevin');
    await Promise.all(
      [this.server, this.storage, this.bucket].map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  }

  /**
   * An attachment Devin made, served at the returned URL (`/attachments/<id>/<name>` on the API, which redirects to
   * the storage host) with `content`, or `size` bytes of `patternBytes` made as they are sent.
   */
  serveAttachment(
    name: string,
    options: { content?: string | Buffer; size?: number; type?: string; chunked?: boolean } = {},
  ): string {
    const id = randomUUID();
    const content = options.content === undefined ? undefined : Buffer.from(options.content);
    this.served.set(id, {
      id,
      name,
      type: options.type ?? 'application/octet-stream',
      size: content?.length ?? options.size ?? 0,
      ...(content ? { content } : {}),
      chunked: options.chunked === true,
    });
    return `${this.url}/attachments/${id}/${encodeURIComponent(name)}`;
  }

  /** The same attachment's URL on the storage host (as Devin's messages may link it); it too needs the key. */
  storageUrl(apiUrl: string): string {
    return apiUrl.replace(this.url, `http://${this.storageHost}`);
  }

  /** Destroys the connections of requests held by `hangNext` (the client sees them reset). */
  dropHung(): void {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  /** Resolves with the uploads once at least `n` were received. */
  waitForUploads(n: number, timeoutMs = 5000): Promise<FakeUpload[]> {
    return this.waits.until(
      'upload',
      () => (this.uploads.length >= n ? [...this.uploads] : undefined),
      () => `FakeDevin.waitForUploads(${n}) timed out after ${timeoutMs} ms. ${this.describeRequests()}`,
      timeoutMs,
    );
  }

  /** Clears recorded requests and pending scripts; sessions and deliveries are kept. */
  /** The next `requests` requests find Devin's API unreachable (their connection is dropped unanswered). */
  unreachable(requests: number): void {
    this.unreachableFor = requests;
  }

  reset(): void {
    this.requests.length = 0;
    this.scripts.length = 0;
  }

  /**
   * Devin writes a message in the session (as polling will find it). The session's `updated_at` moves, unless
   * `quietly` (a change Devin's session list would not show).
   */
  say(sessionId: string, eventId: string, message: string, { quietly = false }: { quietly?: boolean } = {}): void {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no fake session ${sessionId}`);
    const timestamp = this.isoNow();
    session.messages.push({ type: 'devin_message', event_id: eventId, message, timestamp });
    if (!quietly) session.updated_at = timestamp;
  }

  /**
   * The requests received, counted by route (`GET /v3/organizations/:org/sessions/:id/messages`), since `since` (an
   * index into `requests`).
   */
  callsByRoute(since = 0): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.requests.slice(since)) {
      const route = routeOf(r.method, r.path);
      counts[route] = (counts[route] ?? 0) + 1;
    }
    return counts;
  }

  addSession(partial: Partial<FakeSession> = {}): FakeSession {
    const hex = randomBytes(16).toString('hex');
    const now = this.isoNow();
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
   * What the session has spent so far (`acus_consumed`, which only v3 documents and the v3 adapter reads). The session
   * changed, so its `updated_at` moves (the change feed lists it), unless `quietly`.
   */
  spend(id: string, acus: number, { quietly = false }: { quietly?: boolean } = {}): void {
    const session = this.mustGet(id);
    session.acus_consumed = acus;
    if (!quietly) session.updated_at = this.isoNow();
  }

  /** How many times `DELETE /v1/sessions/:id` ended this session (a refused second call does not count). */
  terminatedCount(sessionId: string): number {
    return this.terminations.get(sessionId) ?? 0;
  }

  /**
   * Puts the session in a state, in the fields its API version reads: v1's `status`/`status_enum` (asleep also
   * pauses message POSTs), v3's `status`/`status_detail` (asleep is suspended for inactivity, which a message
   * resumes; quota is suspended out of credits, which it does not). The session's `updated_at` moves, unless
   * `quietly`.
   */
  setState(id: string, state: FakeState, { quietly = false }: { quietly?: boolean } = {}): void {
    const session = this.mustGet(id);
    if (!quietly) session.updated_at = this.isoNow();
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
    const timestamp = this.isoNow();
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
    this.waits.emit('delivered', sessionId);
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
    return this.waits.until(
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
    return this.waits.until(
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

  /** The session with this id; a test that names one the fake does not have fails here. */
  mustGet(id: string): FakeSession {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`FakeDevin: no session ${id}`);
    return session;
  }

  private describeRequests(): string {
    if (this.requests.length === 0) return 'Requests seen: none';
    const lines = this.requests.map((r) => `\n  ${r.method} ${r.path} ${truncate(JSON.stringify(r.body) ?? '')}`);
    return `Requests seen (${this.requests.length}):${lines.join('')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.unreachableFor > 0) {
      // Unreachable: the connection is dropped before anything is read, as by a network outage.
      this.unreachableFor -= 1;
      this.dropped += 1;
      req.socket.destroy();
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (method === 'POST' && path === '/v1/attachments') return this.receiveAttachment(req, res);
    if (method === 'GET' && /^\/(v1\/)?attachments\//.test(path)) return this.redirectToStorage(req, res, path);
    if (method === 'GET' && path.startsWith('/presigned/')) return this.serveBucket(req, res);
    const raw = await readBody(req);
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
    this.waits.emit('request', request);

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

  /** `POST /v1/attachments`: the multipart `file` part is read as it arrives (hashed and counted, never kept). */
  private async receiveAttachment(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = '/v1/attachments';
    const request: DevinRequest = { method: 'POST', path, headers: req.headers, body: null, at: Date.now() };
    this.requests.push(request);
    this.waits.emit('request', request);
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      req.resume();
      return send(res, { status: 401, body: { detail: 'Invalid API key' } });
    }
    const scripted = this.takeScript('POST', path);
    if (scripted && !scripted.thenDeliver) {
      req.resume();
      if ((scripted.delayMs ?? 0) >= HANG_MS) {
        this.hung.add(res);
        res.on('close', () => this.hung.delete(res));
        return;
      }
      if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
      return send(res, { status: scripted.status ?? 200, headers: scripted.headers, body: scripted.body });
    }
    let parsed: busboy.Busboy;
    try {
      parsed = busboy({ headers: req.headers });
    } catch {
      req.resume();
      return send(res, { status: 422, body: { detail: [{ loc: ['body', 'file'], msg: 'Field required' }] } });
    }
    const files: Array<Promise<FakeUpload | undefined>> = [];
    parsed.on('file', (field, stream, info) => {
      files.push(
        (async () => {
          const hash = createHash('sha256');
          let size = 0;
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            size += chunk.length;
            hash.update(chunk);
          }
          if (field !== 'file') return undefined;
          const name = info.filename ?? 'file';
          const url = `${this.url}/attachments/${randomUUID()}/${encodeURIComponent(name)}`;
          return { name, type: info.mimeType, size, sha256: hash.digest('hex'), url, at: Date.now() };
        })(),
      );
    });
    const finished = new Promise<void>((resolve, reject) => {
      parsed.on('close', () => resolve());
      parsed.on('error', reject);
    });
    try {
      await pipeline(req, parsed);
      await finished;
    } catch {
      return send(res, { status: 400, body: { detail: 'The upload was cut off' } });
    }
    const upload = (await Promise.all(files)).find((f) => f !== undefined);
    if (!upload)
      return send(res, { status: 422, body: { detail: [{ loc: ['body', 'file'], msg: 'Field required' }] } });
    request.body = { file: { name: upload.name, size: upload.size, type: upload.type } };
    if (scripted?.thenDeliver) {
      // Taken, but answered as scripted (the answer was lost on its way).
      this.uploads.push(upload);
      this.waits.emit('upload');
      return send(res, { status: scripted.status ?? 200, headers: scripted.headers, body: scripted.body });
    }
    this.uploads.push(upload);
    this.waits.emit('upload');
    const body = this.quoteAttachmentUrls ? JSON.stringify(upload.url) : upload.url;
    send(res, {
      status: 200,
      headers: { 'content-type': this.quoteAttachmentUrls ? 'application/json' : 'text/plain' },
      body,
    });
  }

  /** `GET /attachments/<id>/<name>` (or `/v1/attachments/...`) with the key: a 307 to a short-lived storage link. */
  async redirectToStorage(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const request: DevinRequest = { method: 'GET', path, headers: req.headers, body: null, at: Date.now() };
    this.requests.push(request);
    this.waits.emit('request', request);
    req.resume();
    const scripted = this.takeScript('GET', path);
    if (scripted) return send(res, { status: scripted.status ?? 200, headers: scripted.headers, body: scripted.body });
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return send(res, { status: 401, body: { detail: 'Invalid API key' } });
    }
    const id = path.split('/').at(-2) ?? '';
    if (!this.served.has(id)) return send(res, { status: 404, body: { detail: 'Attachment not found' } });
    res.writeHead(307, { location: `${this.presignedOrigin}/presigned/${id}?signature=${this.signature(id)}` });
    res.end();
  }

  /** The bucket: `/presigned/<id>?signature=`, without a key. */
  private async serveBucket(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    const url = new URL(req.url ?? '/', this.bucketUrl);
    const id = url.pathname.split('/')[2] ?? '';
    const served = this.served.get(id);
    this.storageReads.push({
      name: served?.name ?? id,
      keyed: req.headers.authorization !== undefined,
      at: Date.now(),
    });
    // Like a presigned S3 link: a second way of signing in (an Authorization header) is refused.
    if (req.headers.authorization !== undefined) {
      return send(res, {
        status: 400,
        body: 'Only one auth mechanism allowed',
        headers: { 'content-type': 'text/plain' },
      });
    }
    if (!served || url.searchParams.get('signature') !== this.signature(id)) {
      return send(res, { status: 403, body: 'Request has expired', headers: { 'content-type': 'text/plain' } });
    }
    res.writeHead(200, {
      'content-type': served.type,
      ...(served.chunked ? {} : { 'content-length': String(served.size) }),
    });
    await pipeline(
      served.content ? Readable.from([served.content]) : Readable.from(patternBytes(served.size)),
      res,
    ).catch(() => undefined);
  }

  private signature(id: string): string {
    return createHash('sha256').update(`${this.apiKey}:${id}`).digest('hex').slice(0, 16);
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
    if (path === '/v1/playbooks') {
      if (method !== 'GET') return { status: 405, body: { detail: 'Method Not Allowed' } };
      return {
        status: 200,
        body: this.playbooks.map((p) => ({ ...p, access_type: 'team', body: '', status: 'published' })),
      };
    }
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
      this.accept(id, fields.message);
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
    session.updated_at = this.isoNow();
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
    const now = this.isoNow();
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

/** A request's route, without ids: `GET /v3/organizations/:org/sessions/:id`. */
export function routeOf(method: string, path: string): string {
  const pattern = path
    .replace(/\/attachments\/.+$/, '/attachments/:id')
    .replace(/\/organizations\/[^/]+/, '/organizations/:org')
    .replace(/\/(sessions|session)\/[^/]+/g, '/$1/:id');
  return `${method} ${pattern}`;
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
