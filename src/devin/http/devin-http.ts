import type { Readable } from 'node:stream';
import { type Dispatcher, request } from 'undici';
import { z } from 'zod';
import { parseRetryAfter } from '../../lib/retry-after';
import { getFollowing, OutboundRefusedError, originOf, outboundRefusal, parseUrl } from '../../net/outbound';
import type { KeyCheck, KeyVerdictListener, OpenedAttachment } from '../../relay/ports/devin';
import { DevinApiError, DevinNetworkError } from '../../relay/ports/devin-errors';

/** Where each request's time goes: by endpoint (`GET /v1/sessions/:id`) and answer class (`2xx`, `network`...). */
export interface DevinRequestMetrics {
  devinRequest(endpoint: string, statusClass: string, seconds: number): void;
}

export interface DevinHttpOptions {
  apiUrl: string;
  apiKey: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Each request is timed by endpoint and answer class. */
  metrics?: DevinRequestMetrics;
}

export type Method = 'GET' | 'POST' | 'DELETE';

/** What goes out with a request: a JSON body, or a multipart one (bounded by the caller's signal, not the timeout). */
export interface Outgoing {
  json?: unknown;
  /** A feature the organization may not allow (insights): its 401/403 says nothing of whether the key is accepted. */
  optional?: boolean;
  multipart?: { contentType: string; body: Readable };
  signal?: AbortSignal;
  /** The answer's type asked for (JSON unless said). */
  accept?: string;
}

export interface Answer {
  status: number;
  body: unknown;
  text: string;
  retryAfterMs?: number;
}

/**
 * Requests to Devin's API over undici, shared by both versions' clients: the key in the header, a deadline, the
 * answer read as text (the key taken out) and as JSON, every transport failure as a `DevinNetworkError`, and each
 * request timed by endpoint.
 */
export class DevinHttp {
  private readonly verdictListeners: KeyVerdictListener[] = [];

  constructor(private readonly options: DevinHttpOptions) {}

  /** Calls `listener` whenever an answer shows whether the key is accepted (a 401/403 refusal, or a success). */
  onKeyVerdict(listener: KeyVerdictListener): void {
    this.verdictListeners.push(listener);
  }

  /** Whether Devin accepts the key, asked with one cheap read. Never throws: a failure is a value naming why. */
  async checkKey(method: Method, path: string): Promise<KeyCheck> {
    let answer: Answer;
    try {
      answer = await this.call(method, path);
    } catch (error) {
      return { ok: false, reason: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
    }
    if (answer.status >= 200 && answer.status < 300) return { ok: true };
    const detail = statusDetail(answer);
    return { ok: false, reason: answer.status === 401 || answer.status === 403 ? 'refused' : 'error', detail };
  }

  /**
   * GETs `url`, following redirects (at most 5) under the outbound rules (`net/outbound`): the key goes with the first
   * request only, and only when `sendKeyTo` allows; a redirect is followed only to DEVIN_API_URL's origin or to https
   * on a public address, never with the key. A refused redirect throws `OutboundRefusedError`. The answer's body is
   * the caller's to read or dump.
   */
  async open(
    url: string,
    options: { sendKeyTo: (url: URL) => boolean; signal: AbortSignal },
  ): Promise<OpenedAttachment> {
    const target = parseUrl(url);
    if (!target) throw new OutboundRefusedError(`not a URL: ${url.slice(0, 80)}`, 'scheme');
    try {
      const { response } = await getFollowing(target, {
        authorization: options.sendKeyTo(target) ? `Bearer ${this.options.apiKey}` : undefined,
        configured: new Set([originOf(this.options.apiUrl)]),
        signal: options.signal,
        dispatcher: this.options.dispatcher,
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      // A name that resolves to a refused address fails as the connection is made: said as the refusal it is.
      const refused = outboundRefusal(error);
      if (refused) throw refused;
      throw networkError('GET', target.pathname, error, this.options.timeoutMs);
    }
  }

  get apiKey(): string {
    return this.options.apiKey;
  }

  async call(method: Method, path: string, outgoing: Outgoing = {}): Promise<Answer> {
    const endpoint = endpointOf(method, path);
    const started = performance.now();
    const observe = (status: number | 'network' | 'timeout') =>
      this.options.metrics?.devinRequest(endpoint, statusClass(status), (performance.now() - started) / 1000);
    try {
      const answer = await this.exchange(method, path, outgoing);
      observe(answer.status);
      if (!(outgoing.optional && (answer.status === 401 || answer.status === 403))) this.tellVerdict(answer);
      return answer;
    } catch (error) {
      observe(error instanceof DevinNetworkError && error.code === 'TIMEOUT' ? 'timeout' : 'network');
      throw error;
    }
  }

  private async exchange(method: Method, path: string, outgoing: Outgoing): Promise<Answer> {
    const { json, multipart } = outgoing;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(`${this.options.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: outgoing.accept ?? 'application/json',
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          ...(multipart ? { 'content-type': multipart.contentType } : {}),
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        ...(multipart ? { body: multipart.body } : {}),
        signal: outgoing.signal ?? AbortSignal.timeout(this.options.timeoutMs),
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
    } catch (error) {
      multipart?.body.destroy();
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

  private tellVerdict(answer: Answer): void {
    const refused = answer.status === 401 || answer.status === 403;
    if (!refused && (answer.status < 200 || answer.status >= 300)) return;
    const detail = refused ? statusDetail(answer) : undefined;
    for (const listener of this.verdictListeners) listener(!refused, detail);
  }
}

/** An error answer: Devin's `detail`, whatever else it holds. */
const errorBody = z.object({ detail: z.unknown() }).loose();

/** `2xx`, `4xx`, `network`, `timeout`: an answer's class, as the request metrics count it. */
export function statusClass(status: number | 'network' | 'timeout'): string {
  return typeof status === 'number' ? `${Math.floor(status / 100)}xx` : status;
}

/** `HTTP 401: Invalid API key`: the status and what Devin said of it, short. */
function statusDetail(answer: Answer): string {
  const detail = errorDetail(answer);
  return detail ? `HTTP ${answer.status}: ${detail}` : `HTTP ${answer.status}`;
}

/** The path's pattern, for metrics: `GET /v1/sessions/:id`, never a session or organization id. */
export function endpointOf(method: string, path: string): string {
  const pattern = path
    .replace(/\?.*$/, '')
    .replace(/\/attachments\/.+$/, '/attachments/:id')
    .replace(/\/organizations\/[^/]+/, '/organizations/:org')
    .replace(/\/(sessions|session)\/[^/]+/g, '/$1/:id');
  return `${method} ${pattern}`;
}

/** The answer's body through `schema`; an answer that does not fit is an error naming what was asked. */
export function parse<T>(schema: z.ZodType<T>, answer: Answer, what: string): T {
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    throw new DevinApiError(`Devin's answer to "${what}" was not understood`, answer.status, answer.text.slice(0, 200));
  }
  return parsed.data;
}

/** Devin's reason in an error answer (`detail`, or the text), at most 200 characters. */
export function errorDetail(answer: Answer): string | undefined {
  const detailed = errorBody.safeParse(answer.body);
  return detailed.success ? describe(detailed.data.detail) : answer.text.slice(0, 200) || undefined;
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

/** Devin's `detail`: a sentence, or a validation error's list of problems. */
export function describe(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => (typeof d === 'object' && d && 'msg' in d ? String(d.msg) : JSON.stringify(d))).join('; ');
  }
  return JSON.stringify(detail);
}
