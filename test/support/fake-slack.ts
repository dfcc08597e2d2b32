import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'yaml';
import { patternBytes } from './file-bytes';
import { type LimitBreach, limitBreach, responseBreach } from './slack-limits';
import { type Refusal, recordChecked, takeRefusals } from './strict-slack';
import { Waits } from './waits';

// biome-ignore lint/suspicious/noExplicitAny: Slack API arguments are free-form JSON
export type SlackArgs = Record<string, any>;

export interface SlackCall {
  method: string;
  args: SlackArgs;
  token?: string;
  at: number;
  /** true when the call was answered by a `failNext` script, a `throttle()` or a `down()` */
  failed?: boolean;
  /** the default answer sent (e.g. the `ts` chat.postMessage handed out) */
  answer?: SlackArgs;
  /** Set when real Slack would not take the call as it was made (a limit broken): the fake answered `refusal.error`. */
  refusal?: Refusal;
}

/** A complete HTTP answer. `body` objects are sent as JSON, strings raw. */
export interface SlackAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A persistent override. Return a JSON body (any object with a boolean `ok`), a full `SlackAnswer`
 * (`{ status?, headers?, body? }`), or `undefined` to fall back to the default answer.
 */
export type SlackHandler = (
  args: SlackArgs,
  call: SlackCall,
) => SlackArgs | SlackAnswer | undefined | Promise<SlackArgs | SlackAnswer | undefined>;

export interface SlackUser {
  name: string;
  realName?: string;
  displayName?: string;
  /** A guest account: `restricted` (multi-channel) or `ultra` (single-channel). */
  guest?: 'restricted' | 'ultra';
  bot?: boolean;
  /** The person's workspace (default T1, the installing one). */
  team?: string;
  /** Answered in `profile.email` only while the bot has the `users:read.email` scope, as Slack does. */
  email?: string;
  /** The person's time zone (`tz`, such as `America/New_York`). */
  tz?: string;
}

export interface SlackResponse {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: response_url bodies are free-form JSON
  body: any;
  at: number;
  /** Set when real Slack would not take the body (a limit broken): the fake answered HTTP 400. */
  refusal?: Refusal;
}

/** A file people shared, served at its `url_private_download` on this fake. */
export interface FakeFile {
  id: string;
  name: string;
  mimetype: string;
  size: number;
  /** The bytes; unset: `patternBytes(size)`, made as they are sent. */
  content?: Buffer;
}

/** A download of a file from this fake, as it was asked. */
export interface FakeDownload {
  id: string;
  token?: string;
  /** What the fake answered: the file, Slack's sign-in page (200 or a redirect to it), or a scripted failure. */
  answered: 'file' | 'login-page' | 'login-redirect' | 'failed';
  at: number;
}

/** A file the app put in a thread with the external upload flow. */
export interface FakeSharedFile {
  id: string;
  title?: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  /** What the upload URL received. */
  received: number;
  sha256: string;
  channel_id?: string;
  thread_ts?: string;
  at: number;
}

interface UploadTicket {
  id: string;
  filename: string;
  length: number;
  received?: number;
  sha256?: string;
}

const TS_BASE_SECONDS = 1700000100;
/** The methods a limit governs (the rest are checked and pass). */
const GOVERNED = new Set([
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'views.publish',
  'views.open',
  'views.update',
  'views.push',
  'reactions.add',
  'reactions.remove',
  'files.getUploadURLExternal',
  'files.completeUploadExternal',
  'assistant.threads.setStatus',
]);
/** Keys of the failNext scripts of the file server (not Web API methods). */
const DOWNLOAD = ' file download';
const UPLOAD = ' file upload';

/** The bot scopes `manifest.yml` declares: what an app installed from it is granted. */
export const MANIFEST_BOT_SCOPES: readonly string[] = (
  parse(readFileSync(join(__dirname, '..', '..', 'manifest.yml'), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
  }
).oauth_config.scopes.bot;

/**
 * A fake Slack Web API (plus response_url endpoints) on 127.0.0.1 that refuses what Slack refuses: every call is checked
 * against Slack's limits (`slack-limits.ts`) and one that breaks them is answered as Slack would (`msg_too_long`,
 * `invalid_blocks`, `view_too_large`...) and fails the test that made it, with the limit named, unless the test takes
 * it with `takeRefusals()`.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: SlackResponse[] = [];
  readonly users = new Map<string, SlackUser>([
    ['U1', { name: 'alice', displayName: 'Alice', email: 'alice@example.com' }],
    ['U2', { name: 'bob', displayName: 'Bob', email: 'bob@example.com' }],
  ]);
  /** channel id -> channel name */
  readonly channels = new Map<string, string>([['C1', 'general']]);
  /** Channels only their members read (conversations.info says `is_private`). */
  readonly privateChannels = new Set<string>();
  /** Channels shared with other workspaces (Slack Connect: `is_ext_shared`). */
  readonly sharedChannels = new Set<string>();
  /** channel id -> its members, answered by conversations.members (a channel not here has every known user) */
  readonly members = new Map<string, string[]>();
  /** `${channel}:${threadTs}` -> messages (parent first) answered by conversations.replies */
  readonly threads = new Map<string, SlackArgs[]>();
  /** answered by apps.connections.open */
  socketUrl = 'ws://127.0.0.1:1/';
  /** The bot token's granted scopes, answered by auth.test in its `x-oauth-scopes` header (default: the manifest's). */
  scopes: string[] = [...MANIFEST_BOT_SCOPES];
  /** Files served at `/files-pri/...` (see `addFile`), by id. */
  readonly files = new Map<string, FakeFile>();
  readonly downloads: FakeDownload[] = [];
  /** Files posted with files.completeUploadExternal, in order. */
  readonly sharedFiles: FakeSharedFile[] = [];
  /** The bearer token a download needs (the bot's); any other gets Slack's sign-in page. Unset: any token. */
  fileToken: string | undefined;
  /**
   * Set: every download gets Slack's sign-in page, as a token without `files:read` does: `'page'` answers it with
   * HTTP 200 (text/html), `'redirect'` redirects to `/?redir=…`.
   */
  filesReadMissing: 'page' | 'redirect' | undefined;
  /** When set, assistant.threads.setStatus answers `{ ok: false, error }` (a workspace where it is not available). */
  assistantStatusError: string | undefined;

  private readonly waits = new Waits();
  private readonly failures = new Map<string, Array<{ answer: SlackAnswer; remaining: number }>>();
  private readonly handlers = new Map<string, SlackHandler>();
  private readonly responseFailures: Array<{ answer: SlackAnswer; remaining: number }> = [];
  private readonly throttled = new Map<string, number>();
  private latencyMs = 0;
  private isDown = false;
  private tsCounter = 0;
  private fileCounter = 0;
  private readonly tickets = new Map<string, UploadTicket>();
  private viewCounter = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Pass as Bolt `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  static async start(): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const fake = new FakeSlack(server, (server.address() as AddressInfo).port);
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    return fake;
  }

  async close(): Promise<void> {
    this.waits.close('FakeSlack');
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Clears calls, responses, failNext scripts, handlers, throttles, latency and outages. Seed data is kept. */
  reset(): void {
    this.downloads.length = 0;
    this.sharedFiles.length = 0;
    this.calls.length = 0;
    this.responses.length = 0;
    this.failures.clear();
    this.handlers.clear();
    this.responseFailures.length = 0;
    this.throttled.clear();
    this.latencyMs = 0;
    this.isDown = false;
    this.assistantStatusError = undefined;
  }

  /** Every call to `method` gets HTTP 429 with `Retry-After: retryAfterSeconds` until `unthrottle(method)`. */
  throttle(method: string, retryAfterSeconds: number): void {
    this.throttled.set(method, retryAfterSeconds);
  }

  unthrottle(method: string): void {
    this.throttled.delete(method);
  }

  /** Every Web API answer is sent `ms` after the call arrived (the call is recorded on arrival). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Every Web API call gets HTTP 503 until `up()`. */
  down(): void {
    this.isDown = true;
  }

  up(): void {
    this.isDown = false;
  }

  /**
   * The calls this fake refused for a broken limit since the last look, taken: a test that means to be refused says so
   * (else the test fails when it ends).
   */
  takeRefusals(): Refusal[] {
    return takeRefusals(this.port);
  }

  /** The last Home view published for `user` (views.publish), or undefined. */
  homeOf(user: string): SlackArgs | undefined {
    return this.callsTo('views.publish')
      .filter((args) => args.user_id === user)
      .at(-1)?.view;
  }

  callsTo(method: string): SlackArgs[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** The next `times` calls to `method` get `answer` (queued after earlier failNext scripts). */
  failNext(method: string, answer: SlackAnswer, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ answer, remaining: times });
    this.failures.set(method, queue);
  }

  /** Persistent override for `method`; the handler returning `undefined` falls back to the default answer. */
  setHandler(method: string, handler: SlackHandler): void {
    this.handlers.set(method, handler);
  }

  clearHandler(method: string): void {
    this.handlers.delete(method);
  }

  /**
   * A file to share in a message: served at its `url_private_download` on this fake (with `content`, or `size` bytes of
   * `patternBytes` made as they are sent). Returns Slack's file object, for `event.files`; `size` in it may be told
   * to say something else than the bytes served (`announcedSize`).
   */
  addFile(options: {
    name: string;
    content?: string | Buffer;
    size?: number;
    mimetype?: string;
    announcedSize?: number;
  }) {
    this.fileCounter += 1;
    const id = `F0FAKE${String(this.fileCounter).padStart(4, '0')}`;
    const content = options.content === undefined ? undefined : Buffer.from(options.content);
    const file: FakeFile = {
      id,
      name: options.name,
      mimetype: options.mimetype ?? 'application/octet-stream',
      size: content?.length ?? options.size ?? 0,
      ...(content ? { content } : {}),
    };
    this.files.set(id, file);
    const path = `/files-pri/T1-${id}`;
    return {
      id,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.name.split('.').at(-1) ?? 'binary',
      size: options.announcedSize ?? file.size,
      mode: 'hosted',
      url_private: `${this.baseUrl}${path}/${encodeURIComponent(file.name)}`,
      url_private_download: `${this.baseUrl}${path}/download/${encodeURIComponent(file.name)}`,
      permalink: `https://acme.slack.com/files/U1/${id}/${encodeURIComponent(file.name)}`,
      file_access: 'visible',
    };
  }

  /** The next `times` downloads get `answer` instead of the file. */
  failNextDownload(answer: SlackAnswer, times = 1): void {
    this.failNext(DOWNLOAD, answer, times);
  }

  /** The next `times` POSTs to an upload URL get `answer` (the bytes are still read). */
  failNextUpload(answer: SlackAnswer, times = 1): void {
    this.failNext(UPLOAD, answer, times);
  }

  /** Resolves with the files posted once at least `n` were. */
  waitForSharedFiles(n: number, timeoutMs = 5000): Promise<FakeSharedFile[]> {
    return this.waits.until(
      'shared-file',
      () => (this.sharedFiles.length >= n ? [...this.sharedFiles] : undefined),
      () => `FakeSlack.waitForSharedFiles(${n}) timed out after ${timeoutMs} ms. ${this.describeCalls()}`,
      timeoutMs,
    );
  }

  /** Seeds conversations.replies for a thread. */
  setThread(channel: string, threadTs: string, messages: SlackArgs[]): void {
    this.threads.set(`${channel}:${threadTs}`, messages);
  }

  /** Resolves with the args of the first call to `method` (already recorded or future) matching `predicate`. */
  waitFor(method: string, predicate: (args: SlackArgs) => boolean = () => true, timeoutMs = 5000): Promise<SlackArgs> {
    const match = (c: SlackCall): boolean => c.method === method && predicate(c.args);
    return this.waits.until<SlackArgs>(
      'call',
      () => this.calls.find(match)?.args,
      () => `FakeSlack.waitFor('${method}') timed out after ${timeoutMs} ms. ${this.describeCalls()}`,
      timeoutMs,
    );
  }

  /** Resolves with the args of the first `n` calls to `method` once they were recorded. */
  waitForCount(method: string, n: number, timeoutMs = 5000): Promise<SlackArgs[]> {
    return this.waits.until<SlackArgs[]>(
      'call',
      () => {
        const args = this.callsTo(method);
        return args.length >= n ? args.slice(0, n) : undefined;
      },
      () =>
        `FakeSlack.waitForCount('${method}', ${n}) timed out after ${timeoutMs} ms ` +
        `(got ${this.callsTo(method).length}). ${this.describeCalls()}`,
      timeoutMs,
    );
  }

  /** A response_url served by this fake; POSTs to it land in `responses`. */
  responseUrl(name = randomBytes(6).toString('hex')): string {
    return `${this.baseUrl}/response/${name}`;
  }

  /** The next `times` POSTs to any response_url get `answer` (still recorded). */
  failNextResponse(answer: SlackAnswer, times = 1): void {
    this.responseFailures.push({ answer, remaining: times });
  }

  waitForResponse(predicate: (r: SlackResponse) => boolean = () => true, timeoutMs = 5000): Promise<SlackResponse> {
    return this.waits.until<SlackResponse>(
      'response',
      () => this.responses.find(predicate),
      () =>
        `FakeSlack.waitForResponse timed out after ${timeoutMs} ms. Responses seen (${this.responses.length}): ` +
        (this.responses.map((r) => `\n  ${r.name}: ${truncate(JSON.stringify(r.body))}`).join('') || 'none'),
      timeoutMs,
    );
  }

  /** The next ts chat.postMessage would hand out is strictly greater than every ts handed out so far. */
  nextTs(): string {
    this.tsCounter += 1;
    const seconds = TS_BASE_SECONDS + Math.floor(this.tsCounter / 1_000_000);
    const micros = this.tsCounter % 1_000_000;
    return `${seconds}.${String(micros).padStart(6, '0')}`;
  }

  private describeCalls(): string {
    if (this.calls.length === 0) return 'Calls seen: none';
    const lines = this.calls.map(
      (c) =>
        `\n  ${c.method}${c.failed ? ' (failed)' : ''}${c.refusal ? ` (${c.refusal.error})` : ''} ${truncate(JSON.stringify(c.args))}`,
    );
    return `Calls seen (${this.calls.length}):${lines.join('')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.url?.startsWith('/files-pri/')) return this.serveFile(req, res);
    if (req.url?.startsWith('/upload/')) return this.receiveUpload(req, res);
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';

    if (path.startsWith('/response/')) {
      const name = decodeURIComponent(path.slice('/response/'.length));
      const response: SlackResponse = { name, body: parseJsonOrRaw(raw.toString('utf8')), at: Date.now() };
      const refusal = this.check('response_url', responseBreach(response.body), true);
      if (refusal) response.refusal = refusal;
      this.responses.push(response);
      const failure = takeFailure(this.responseFailures);
      this.waits.emit('response');
      if (failure) send(res, failure);
      else if (refusal?.refused) send(res, { status: 400, body: { ok: false, error: refusal.error } });
      else send(res, { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
      return;
    }

    if (!path.startsWith('/api/')) {
      send(res, { status: 404, body: { ok: false, error: 'unknown_path' } });
      return;
    }

    const method = path.slice('/api/'.length);
    const args = await parseArgs(req, raw);
    const url = new URL(req.url ?? '/', this.baseUrl);
    for (const [key, value] of url.searchParams) if (!(key in args)) args[key] = parseJsonLooking(value);
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);

    const call: SlackCall = { method, args, at: Date.now() };
    if (token !== undefined) call.token = token;
    const refusal = this.check(method, limitBreach(method, args), GOVERNED.has(method));
    if (refusal) call.refusal = refusal;
    const queue = this.failures.get(method);
    const failure = this.outage(method) ?? (queue ? takeFailure(queue) : undefined);
    if (failure) call.failed = true;
    this.calls.push(call);
    this.waits.emit('call', call);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));

    if (failure) {
      send(res, failure);
      return;
    }
    if (refusal?.refused) {
      send(res, { body: { ok: false, error: refusal.error, response_metadata: { messages: refusal.limits } } });
      return;
    }
    const handler = this.handlers.get(method);
    if (handler) {
      const answer = await handler(args, call);
      if (answer !== undefined) {
        send(res, isBody(answer) ? { body: answer } : (answer as SlackAnswer));
        return;
      }
    }
    call.answer = this.defaultAnswer(method, args);
    send(res, { body: call.answer, headers: this.defaultHeaders(method) });
  }

  /** `url_private_download`: the file's bytes for the right bearer token, else Slack's sign-in page. */
  private async serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = (req.url ?? '').split('/')[2]?.split('-').at(-1) ?? '';
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
    const download: FakeDownload = { id, answered: 'file', at: Date.now() };
    if (token !== undefined) download.token = token;
    this.downloads.push(download);
    const failure = takeFailure(this.failures.get(DOWNLOAD) ?? []);
    const file = this.files.get(id);
    const signedIn = token !== undefined && (this.fileToken === undefined || token === this.fileToken);
    const login = this.filesReadMissing ?? (signedIn ? undefined : 'page');
    if (failure) {
      download.answered = 'failed';
      send(res, failure);
    } else if (login === 'redirect') {
      download.answered = 'login-redirect';
      res.writeHead(302, { location: `${this.baseUrl}/?redir=${encodeURIComponent(req.url ?? '/')}` });
      res.end();
    } else if (login === 'page' || !file) {
      download.answered = file ? 'login-page' : 'failed';
      send(res, {
        status: file ? 200 : 404,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to your workspace</body></html>',
      });
    } else {
      res.writeHead(200, {
        'content-type': file.mimetype,
        'content-length': String(file.size),
        'content-disposition': `attachment; filename="${file.name}"`,
      });
      await pipeline(file.content ? Readable.from([file.content]) : Readable.from(patternBytes(file.size)), res).catch(
        () => undefined,
      );
    }
    this.waits.emit('download', download);
  }

  /** An upload URL handed out by files.getUploadURLExternal: reads the bytes as they come, keeps their count and hash. */
  private async receiveUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ticket = this.tickets.get((req.url ?? '').split('/').at(-1) ?? '');
    const hash = createHash('sha256');
    let received = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      hash.update(chunk);
    }
    const failure = takeFailure(this.failures.get(UPLOAD) ?? []);
    if (failure) return send(res, failure);
    if (!ticket) return send(res, { status: 404, body: 'no such upload' });
    ticket.received = received;
    ticket.sha256 = hash.digest('hex');
    send(res, { status: 200, headers: { 'content-type': 'text/plain' }, body: `OK - ${received}` });
  }

  /** Counts a checked call; a broken limit is kept for the test to take, or to fail with. */
  private check(method: string, breach: LimitBreach | undefined, governed: boolean): Refusal | undefined {
    const refusal = breach ? { ...breach, method, port: this.port, at: Date.now() } : undefined;
    recordChecked(governed, refusal);
    return refusal;
  }

  /** The answer of a `down()` or `throttle()` in force for `method`. */
  private outage(method: string): SlackAnswer | undefined {
    if (this.isDown) return { status: 503, body: 'Service Unavailable' };
    const retryAfter = this.throttled.get(method);
    if (retryAfter === undefined) return undefined;
    return { status: 429, headers: { 'Retry-After': String(retryAfter) }, body: { ok: false, error: 'ratelimited' } };
  }

  /** Slack names the token's scopes on every answer; auth.test is where the app reads them. */
  private defaultHeaders(method: string): Record<string, string> {
    return method === 'auth.test' ? { 'x-oauth-scopes': this.scopes.join(',') } : {};
  }

  private defaultAnswer(method: string, args: SlackArgs): SlackArgs {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'Acme',
          user: 'devin',
          team_id: 'T1',
          user_id: 'UBOT',
          bot_id: 'BBOT',
        };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        const message: SlackArgs = { type: 'message', text: args.text, user: 'UBOT', bot_id: 'BBOT', ts };
        if (args.thread_ts !== undefined) message.thread_ts = String(args.thread_ts);
        if (args.blocks !== undefined) message.blocks = args.blocks;
        return { ok: true, channel: args.channel, ts, message };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        const realName = user.realName ?? user.displayName ?? user.name;
        const displayName = user.displayName ?? '';
        return {
          ok: true,
          user: {
            id: args.user,
            team_id: user.team ?? 'T1',
            name: user.name,
            real_name: realName,
            deleted: false,
            is_bot: user.bot === true,
            is_restricted: user.guest !== undefined,
            is_ultra_restricted: user.guest === 'ultra',
            ...(user.tz ? { tz: user.tz } : {}),
            profile: {
              display_name: displayName,
              real_name: realName,
              ...(user.email && this.scopes.includes('users:read.email') ? { email: user.email } : {}),
            },
          },
        };
      }
      case 'conversations.members': {
        const members = this.members.get(String(args.channel)) ?? [...this.users.keys()];
        return { ok: true, members, response_metadata: { next_cursor: '' } };
      }
      case 'conversations.info': {
        const name = this.channels.get(String(args.channel));
        if (name === undefined) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: {
            id: args.channel,
            name,
            is_channel: true,
            is_private: this.privateChannels.has(String(args.channel)),
            is_ext_shared: this.sharedChannels.has(String(args.channel)),
            is_shared: this.sharedChannels.has(String(args.channel)),
            is_archived: false,
            is_member: true,
          },
        };
      }
      case 'conversations.replies': {
        const messages = this.threads.get(`${args.channel}:${args.ts}`);
        if (!messages) return { ok: false, error: 'thread_not_found' };
        return { ok: true, messages: filterByTs(messages, args), has_more: false };
      }
      case 'chat.getPermalink': {
        const ts = String(args.message_ts ?? '');
        return {
          ok: true,
          channel: args.channel,
          permalink: `https://acme.slack.com/archives/${args.channel}/p${ts.replace('.', '')}`,
        };
      }
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (!args.filename || !Number.isInteger(length) || length <= 0)
          return { ok: false, error: 'invalid_arguments' };
        this.fileCounter += 1;
        const id = `F0UP${String(this.fileCounter).padStart(6, '0')}`;
        this.tickets.set(id, { id, filename: String(args.filename), length });
        return { ok: true, upload_url: `${this.baseUrl}/upload/v1/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = (Array.isArray(args.files) ? args.files : []) as SlackArgs[];
        const tickets = files.map((f) => this.tickets.get(String(f.id)));
        if (tickets.length === 0 || tickets.some((t) => t?.received === undefined))
          return { ok: false, error: 'invalid_arguments' };
        for (const [i, ticket] of tickets.entries()) {
          if (!ticket) continue;
          this.sharedFiles.push({
            id: ticket.id,
            ...(files[i]?.title ? { title: String(files[i]?.title) } : {}),
            filename: ticket.filename,
            length: ticket.length,
            received: ticket.received ?? 0,
            sha256: ticket.sha256 ?? '',
            ...(args.channel_id ? { channel_id: String(args.channel_id) } : {}),
            ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
            at: Date.now(),
          });
          this.tickets.delete(ticket.id);
        }
        this.waits.emit('shared-file');
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      case 'assistant.threads.setStatus':
        if (this.assistantStatusError) return { ok: false, error: this.assistantStatusError };
        if (!args.channel_id || !args.thread_ts || typeof args.status !== 'string') {
          return { ok: false, error: 'invalid_arguments' };
        }
        return { ok: true };
      case 'views.open':
      case 'views.publish':
      case 'views.update': {
        this.viewCounter += 1;
        const view = typeof args.view === 'object' && args.view !== null ? args.view : {};
        const id = args.view_id ?? `VFAKE${String(this.viewCounter).padStart(5, '0')}`;
        return { ok: true, view: { ...view, id, hash: `${Date.now()}.${this.viewCounter}` } };
      }
      default:
        return { ok: true };
    }
  }
}

function takeFailure(queue: Array<{ answer: SlackAnswer; remaining: number }>): SlackAnswer | undefined {
  const head = queue[0];
  if (!head) return undefined;
  head.remaining -= 1;
  if (head.remaining <= 0) queue.shift();
  return head.answer;
}

function isBody(answer: SlackArgs | SlackAnswer): answer is SlackArgs {
  return typeof (answer as SlackArgs).ok === 'boolean';
}

function send(res: ServerResponse, answer: SlackAnswer): void {
  if (res.destroyed || res.writableEnded) return;
  const status = answer.status ?? 200;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(answer.headers ?? {})) headers[key.toLowerCase()] = value;
  let payload: string;
  if (typeof answer.body === 'string') {
    payload = answer.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else {
    payload = JSON.stringify(answer.body ?? { ok: true });
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(status, headers);
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

async function parseArgs(req: IncomingMessage, raw: Buffer): Promise<SlackArgs> {
  const contentType = req.headers['content-type'] ?? '';
  const text = raw.toString('utf8');
  if (contentType.startsWith('application/json')) {
    const parsed = parseJsonOrRaw(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as SlackArgs) : { _raw: text };
  }
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const args: SlackArgs = {};
    for (const [key, value] of form) {
      args[key] =
        typeof value === 'string' ? parseJsonLooking(value) : { filename: value.name, size: value.size, file: true };
    }
    return args;
  }
  const args: SlackArgs = {};
  for (const [key, value] of new URLSearchParams(text)) args[key] = parseJsonLooking(value);
  return args;
}

/** Form values that are JSON objects/arrays (blocks, attachments, metadata...) are parsed back. */
function parseJsonLooking(value: string): unknown {
  const trimmed = value.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

function parseJsonOrRaw(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function filterByTs(messages: SlackArgs[], args: SlackArgs): SlackArgs[] {
  const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
  const oldest = args.oldest !== undefined ? Number(args.oldest) : undefined;
  const latest = args.latest !== undefined ? Number(args.latest) : undefined;
  return messages.filter((m) => {
    // Slack always answers the thread parent first, whatever oldest/latest say.
    if (m.ts === args.ts) return true;
    const ts = Number(m.ts);
    if (oldest !== undefined && (inclusive ? ts < oldest : ts <= oldest)) return false;
    if (latest !== undefined && (inclusive ? ts > latest : ts >= latest)) return false;
    return true;
  });
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
