import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import type { Metrics } from '../metrics/metrics';
import { statusClass } from '../metrics/metrics';
import { DevinApiError, DevinNetworkError } from './devin-errors';
import { createdSession, type DevinSession, errorBody, sendAnswer, session } from './devin-schemas';

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

type HttpMethod = 'GET' | 'POST' | 'DELETE';

interface Answer {
  status: number;
  body: unknown;
  text: string;
  retryAfterMs?: number;
}

/** Devin's REST API v1 over undici. Converts every transport and API failure into a typed error. */
export class DevinClient {
  constructor(private readonly options: DevinClientOptions) {}

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
    return {
      status: response.statusCode,
      text,
      body: parseJson(text),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
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
