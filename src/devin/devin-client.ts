import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import type { Metrics } from '../metrics/metrics';
import { statusClass } from '../metrics/metrics';
import { DevinApiError, DevinNetworkError } from './devin-errors';
import { createdSession, type DevinSession, errorBody, sendAnswer, session, sessionList } from './devin-schemas';
import { multipartFile, type StreamedFile } from './multipart-file';

/** The version of Devin's API this client speaks (every path starts with it). */
export const DEVIN_API_VERSION = 'v1';

export interface DevinClientOptions {
  apiUrl: string;
  apiKey: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Each request is timed by endpoint and answer class. */
  metrics?: Metrics;
}

/** What happened to a message. Failures (refused key, server trouble, no answer) are thrown as `DevinError`s. */
export type SendResult = { kind: 'delivered' } | { kind: 'not-running'; detail: string } | { kind: 'unknown-session' };

/** What ending a session did. Failures (refused key, server trouble, no answer) are thrown as `DevinError`s. */
export type TerminateResult =
  | { kind: 'terminated' }
  /** Devin answered that the session had already exited (400): nothing was changed. */
  | { kind: 'already-ended'; detail: string }
  | { kind: 'unknown-session' };

export interface CreatedSession {
  sessionId: string;
  url: string;
  /** Answered when the create was idempotent: false when Devin returned the session it already had for this prompt. */
  isNewSession?: boolean;
}

export interface CreateSessionOptions {
  title?: string;
  /** Devin returns the session it already has for the same prompt instead of creating a second one. */
  idempotent?: boolean;
}

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
type HttpMethod = 'GET' | 'POST' | 'DELETE';

interface Answer {
  status: number;
  body: unknown;
  text: string;
  retryAfterMs?: number;
}

/** Devin's REST API v1 over undici. Converts every transport and API failure into a typed error. */
export class DevinClient {
  private readonly verdictListeners: KeyVerdictListener[] = [];

  constructor(private readonly options: DevinClientOptions) {}

  /**
   * Whether Devin accepts the key, through the cheapest authenticated read (one session listed). Never throws: an
   * answer that is no success is a value naming why.
   */
  async checkKey(): Promise<KeyCheck> {
    let answer: Answer;
    try {
      answer = await this.call('GET', '/v1/sessions?limit=1');
    } catch (error) {
      return { ok: false, reason: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
    }
    if (answer.status >= 200 && answer.status < 300) return { ok: true };
    const detail = statusDetail(answer);
    return { ok: false, reason: answer.status === 401 || answer.status === 403 ? 'refused' : 'error', detail };
  }

  /** Calls `listener` whenever an answer shows whether the key is accepted (a 401/403 refusal, or a success). */
  onKeyVerdict(listener: KeyVerdictListener): void {
    this.verdictListeners.push(listener);
  }

  async createSession(prompt: string, options: CreateSessionOptions = {}): Promise<CreatedSession> {
    const answer = await this.call('POST', '/v1/sessions', {
      prompt,
      ...(options.title ? { title: options.title } : {}),
      ...(options.idempotent ? { idempotent: true } : {}),
    });
    if (answer.status !== 200 && answer.status !== 201) throw failure('create a session', answer);
    const created = parse(createdSession, answer, 'create a session');
    return {
      sessionId: created.session_id,
      url: created.url,
      ...(typeof created.is_new_session === 'boolean' ? { isNewSession: created.is_new_session } : {}),
    };
  }

  /** The session, or undefined when Devin does not know it. */
  async getSession(sessionId: string): Promise<DevinSession | undefined> {
    const answer = await this.call('GET', `/v1/sessions/${encodeURIComponent(sessionId)}`);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw failure('read the session', answer);
    return parse(session, answer, 'read the session');
  }

  /** At most `limit` of the key's sessions, newest first: the cheapest call that proves the key and the URL work. */
  async listSessions(limit: number): Promise<DevinSession[]> {
    const answer = await this.call('GET', `/v1/sessions?limit=${encodeURIComponent(String(limit))}`);
    if (answer.status !== 200) throw failure('list sessions', answer);
    return parse(sessionList, answer, 'list sessions').sessions;
  }

  async sendMessage(sessionId: string, message: string): Promise<SendResult> {
    const answer = await this.call('POST', `/v1/sessions/${encodeURIComponent(sessionId)}/message`, { message });
    if (answer.status === 204) return { kind: 'delivered' };
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status !== 200) throw failure('send a message', answer);
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
    const path = '/v1/attachments';
    const { contentType, body } = multipartFile('file', file);
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(`${this.options.apiUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'text/plain', 'content-type': contentType },
        body,
        signal,
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
      text = withoutSecret(await response.body.text(), this.options.apiKey);
    } catch (error) {
      throw networkError('POST', path, error, this.options.timeoutMs);
    } finally {
      body.destroy();
    }
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    const answer: Answer = {
      status: response.statusCode,
      text,
      body: parseJson(text),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
    if (answer.status !== 200 && answer.status !== 201) throw failure('take an attachment', answer);
    // Plain text by the documentation; a JSON string in some answers.
    const url = typeof answer.body === 'string' ? answer.body.trim() : text.trim();
    if (!/^https?:\/\/[^\s"]+$/.test(url)) {
      throw new DevinApiError("Devin's answer to an attachment was not a URL", answer.status, text.slice(0, 200));
    }
    return url;
  }

  /**
   * GETs an attachment, following redirects (Devin answers `/attachments/...` with a redirect to a short-lived storage
   * link). The key is sent only where `sendKeyTo` allows (Devin's own hosts), never to the storage it redirects to.
   * The answer's body is the caller's to read or dump.
   */
  async openAttachment(
    url: string,
    options: { sendKeyTo: (url: URL) => boolean; signal: AbortSignal },
  ): Promise<OpenedAttachment> {
    let target = new URL(url);
    for (let hop = 0; ; hop += 1) {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(target, {
          method: 'GET',
          headers: options.sendKeyTo(target) ? { authorization: `Bearer ${this.options.apiKey}` } : {},
          signal: options.signal,
          ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
        });
      } catch (error) {
        throw networkError('GET', target.pathname, error, this.options.timeoutMs);
      }
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string' && hop < 5) {
        await response.body.dump();
        target = new URL(location, target);
        continue;
      }
      return { status: response.statusCode, headers: response.headers, body: response.body };
    }
  }

  /** Ends the session for good (`DELETE /v1/sessions/{id}`); it cannot be resumed afterwards. */
  async terminateSession(sessionId: string): Promise<TerminateResult> {
    const answer = await this.call('DELETE', `/v1/sessions/${encodeURIComponent(sessionId)}`);
    if (answer.status === 200 || answer.status === 204) return { kind: 'terminated' };
    if (answer.status === 404) return { kind: 'unknown-session' };
    if (answer.status === 400) {
      const detailed = errorBody.safeParse(answer.body);
      return {
        kind: 'already-ended',
        detail: detailed.success ? describe(detailed.data.detail) : answer.text.slice(0, 200),
      };
    }
    throw failure('end the session', answer);
  }

  private async call(method: HttpMethod, path: string, json?: unknown): Promise<Answer> {
    const endpoint = endpointOf(method, path);
    const started = performance.now();
    const observe = (status: number | 'network' | 'timeout') =>
      this.options.metrics?.devinRequest(endpoint, statusClass(status), (performance.now() - started) / 1000);
    try {
      const answer = await this.exchange(method, path, json);
      observe(answer.status);
      return answer;
    } catch (error) {
      observe(error instanceof DevinNetworkError && error.code === 'TIMEOUT' ? 'timeout' : 'network');
      throw error;
    }
  }

  private async exchange(method: HttpMethod, path: string, json?: unknown): Promise<Answer> {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(`${this.options.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json',
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
    } catch (error) {
      throw networkError(method, path, error, this.options.timeoutMs);
    }
    let text: string;
    try {
      // An error answer may echo the request, key included; what is read from it is logged and shown in Slack.
      text = withoutSecret(await response.body.text(), this.options.apiKey);
    } catch (error) {
      throw networkError(method, path, error, this.options.timeoutMs);
    }
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    const answer: Answer = {
      status: response.statusCode,
      text,
      body: parseJson(text),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
    this.tellVerdict(answer);
    return answer;
  }

  private tellVerdict(answer: Answer): void {
    const refused = answer.status === 401 || answer.status === 403;
    if (!refused && (answer.status < 200 || answer.status >= 300)) return;
    const detail = refused ? statusDetail(answer) : undefined;
    for (const listener of this.verdictListeners) listener(!refused, detail);
  }
}

/** `HTTP 401: Invalid API key`: the status and what Devin said of it, short. */
function statusDetail(answer: Answer): string {
  const detailed = errorBody.safeParse(answer.body);
  const detail = detailed.success ? describe(detailed.data.detail) : answer.text.slice(0, 200);
  return detail ? `HTTP ${answer.status}: ${detail}` : `HTTP ${answer.status}`;
}

/** The path's pattern, for metrics: `GET /v1/sessions/:id`, never a session id. */
export function endpointOf(method: string, path: string): string {
  const pattern = path
    .replace(/\?.*$/, '')
    .replace(/\/attachments\/.+$/, '/attachments/:id')
    .replace(/\/(sessions|session)\/[^/]+/g, '/$1/:id');
  return `${method} ${pattern}`;
}

function parse<T>(schema: z.ZodType<T>, answer: Answer, what: string): T {
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    throw new DevinApiError(`Devin's answer to "${what}" was not understood`, answer.status, answer.text.slice(0, 200));
  }
  return parsed.data;
}

function failure(what: string, answer: Answer): DevinApiError {
  const detailed = errorBody.safeParse(answer.body);
  const detail = detailed.success ? describe(detailed.data.detail) : answer.text.slice(0, 200) || undefined;
  return new DevinApiError(
    `Devin's API refused to ${what} (HTTP ${answer.status})`,
    answer.status,
    detail,
    answer.retryAfterMs,
  );
}

function networkError(method: string, path: string, error: unknown, timeoutMs: number): DevinNetworkError {
  const name = error instanceof Error ? error.name : '';
  const raw = (error as { code?: unknown } | undefined)?.code;
  const code = typeof raw === 'string' ? raw : name || 'UNKNOWN';
  const timedOut = name === 'TimeoutError' || name === 'AbortError' || code.includes('TIMEOUT');
  const reason = timedOut ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
  return new DevinNetworkError(`${method} ${path} failed: ${reason}`, timedOut ? 'TIMEOUT' : code, { cause: error });
}

function withoutSecret(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => (typeof d === 'object' && d && 'msg' in d ? String(d.msg) : JSON.stringify(d))).join('; ');
  }
  return JSON.stringify(detail);
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
