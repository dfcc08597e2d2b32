import type { Readable } from 'node:stream';
import { type Dispatcher, request } from 'undici';
import { parseRetryAfter } from '../devin/devin-client';

/** Slack's own hosts, to which the bot token may go (files.slack.com and the like). */
const SLACK_DOMAINS = ['slack.com', 'slack-edge.com', 'slack-files.com'];
const MAX_REDIRECTS = 5;

/** Why a file could not be read from Slack. */
export type DownloadFailure =
  /** Slack answered its sign-in page (HTTP 200 or a redirect to it): the token lacks `files:read`. */
  | { kind: 'login-page'; host: string }
  /** Slack said no for good (401, 403, 404...). */
  | { kind: 'refused'; status: number }
  /** Slack is busy or unreachable (429, 5xx, network); it may work later. */
  | { kind: 'unavailable'; reason: string; retryAfterMs?: number }
  /** The link does not lead to Slack: the bot token is not sent there. */
  | { kind: 'untrusted'; host: string };

export class SlackDownloadError extends Error {
  constructor(
    message: string,
    readonly failure: DownloadFailure,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SlackDownloadError';
  }
}

export interface OpenedDownload {
  body: Readable;
  contentType?: string;
  /** From `content-length`, when Slack sent one. */
  length?: number;
}

export interface SlackFileDownloadOptions {
  botToken: string;
  /** The Web API's base URL when it is not Slack's (a proxy, or a test's fake): its host may have the token too. */
  apiUrl?: string;
  dispatcher?: Dispatcher;
}

/**
 * Opens a file's `url_private_download` with the bot token (scope `files:read`) and hands back its body as a stream,
 * once Slack answered with the file. Redirects are followed by hand so that the token only ever goes to Slack's hosts,
 * and so that a redirect to Slack's sign-in page (what a token without `files:read` gets) is recognised, like a page
 * of HTML answered in place of a file that is not HTML.
 */
export class SlackFileDownload {
  private readonly ownHost: string | undefined;

  constructor(private readonly options: SlackFileDownloadOptions) {
    this.ownHost = options.apiUrl ? new URL(options.apiUrl).host : undefined;
  }

  async open(file: { url: string; mimetype?: string }, signal: AbortSignal): Promise<OpenedDownload> {
    let target = parseUrl(file.url);
    if (!target || !this.trusted(target)) {
      const host = target?.host ?? 'an unreadable address';
      throw new SlackDownloadError(`not a Slack file URL (${host})`, { kind: 'untrusted', host });
    }
    for (let hop = 0; ; hop += 1) {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(target, {
          method: 'GET',
          headers: this.trusted(target) ? { authorization: `Bearer ${this.options.botToken}` } : {},
          signal,
          ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new SlackDownloadError(
          `downloading from Slack failed: ${reason}`,
          { kind: 'unavailable', reason },
          {
            cause: error,
          },
        );
      }
      const { statusCode: status, headers } = response;
      const location = header(headers.location);
      if (status >= 300 && status < 400 && location) {
        await response.body.dump();
        const next = parseUrl(location, target);
        if (!next || isSignIn(next)) {
          throw new SlackDownloadError('Slack redirected the download to its sign-in page', {
            kind: 'login-page',
            host: target.host,
          });
        }
        if (hop >= MAX_REDIRECTS) {
          throw new SlackDownloadError('Slack redirected the download too many times', {
            kind: 'unavailable',
            reason: 'too many redirects',
          });
        }
        target = next;
        continue;
      }
      if (status === 200) {
        const contentType = header(headers['content-type']);
        if (isHtml(contentType) && !isHtml(file.mimetype)) {
          await response.body.dump();
          throw new SlackDownloadError('Slack answered a page of HTML instead of the file', {
            kind: 'login-page',
            host: target.host,
          });
        }
        const length = Number(header(headers['content-length']));
        return {
          body: response.body,
          ...(contentType ? { contentType } : {}),
          ...(Number.isFinite(length) && length >= 0 && header(headers['content-length']) ? { length } : {}),
        };
      }
      await response.body.dump();
      if (status === 429 || status >= 500) {
        const retryAfterMs = parseRetryAfter(headers['retry-after']);
        throw new SlackDownloadError(`Slack answered the download with HTTP ${status}`, {
          kind: 'unavailable',
          reason: `HTTP ${status}`,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      }
      throw new SlackDownloadError(`Slack answered the download with HTTP ${status}`, { kind: 'refused', status });
    }
  }

  /** Slack's hosts (over HTTPS), and the configured Web API's host. */
  private trusted(url: URL): boolean {
    if (this.ownHost && url.host === this.ownHost) return true;
    if (url.protocol !== 'https:') return false;
    const host = url.hostname.toLowerCase();
    return SLACK_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
  }
}

/** Where Slack sends a browser that is not signed in: `/?redir=…`, `/signin`, the workspace's front page. */
function isSignIn(url: URL): boolean {
  return url.searchParams.has('redir') || /\/(signin|sign_in|login)\b/i.test(url.pathname) || url.pathname === '/';
}

function isHtml(type: string | undefined): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(type ?? '');
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseUrl(value: string, base?: URL): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}
