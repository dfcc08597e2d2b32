import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { parseRetryAfter } from '../../lib/retry-after';
import { getFollowing, hasOrigin, originOf, outboundRefusal, parseUrl } from '../../net/outbound';

/** Slack's own hosts, to which the bot token may go (files.slack.com and the like). */
const SLACK_DOMAINS = ['slack.com', 'slack-edge.com', 'slack-files.com'];

/** Why a file could not be read from Slack. */
export type DownloadFailure =
  /** Slack answered its sign-in page (HTTP 200 or a redirect to it): the token lacks `files:read`. */
  | { kind: 'login-page'; host: string }
  /** Slack said no for good (401, 403, 404...). */
  | { kind: 'refused'; status: number }
  /** Slack is busy or unreachable (429, 5xx, network); it may work later. */
  | { kind: 'unavailable'; reason: string; retryAfterMs?: number }
  /** The link does not lead to Slack: the bot token is not sent there. */
  | { kind: 'untrusted'; host: string }
  /** A redirect led where nothing of the app's goes (not https, or not a public address): it was not followed. */
  | { kind: 'led-astray'; reason: string };

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
  /** The Web API's base URL when it is not Slack's (a proxy, or a test's fake): its origin may have the token too. */
  apiUrl?: string;
  dispatcher?: Dispatcher;
}

/**
 * Opens a file's `url_private_download` with the bot token (scope `files:read`) and hands back its body as a stream,
 * once Slack answered with the file. The token goes only with the first request, and only to Slack's own hosts over
 * https or to the exact origin of `SLACK_API_URL`; redirects are followed by hand under the outbound rules (https on
 * a public address, or `SLACK_API_URL`'s origin; never with the token), so that a redirect to Slack's sign-in page
 * (what a token without `files:read` gets) is recognised, like a page of HTML answered in place of a file.
 */
export class SlackFileDownload {
  private readonly ownOrigin: string;

  constructor(private readonly options: SlackFileDownloadOptions) {
    this.ownOrigin = options.apiUrl ? originOf(options.apiUrl) : '';
  }

  async open(file: { url: string; mimetype?: string }, signal: AbortSignal): Promise<OpenedDownload> {
    const target = parseUrl(file.url);
    if (!target || !this.trusted(target)) {
      const host = target?.host ?? 'an unreadable address';
      throw new SlackDownloadError(`not a Slack file URL (${host})`, { kind: 'untrusted', host });
    }
    let answer: Awaited<ReturnType<typeof getFollowing>>;
    try {
      answer = await getFollowing(target, {
        authorization: `Bearer ${this.options.botToken}`,
        configured: new Set(this.ownOrigin ? [this.ownOrigin] : []),
        signal,
        dispatcher: this.options.dispatcher,
        onRedirect: (next, from) => {
          if (isSignIn(next)) {
            throw new SlackDownloadError('Slack redirected the download to its sign-in page', {
              kind: 'login-page',
              host: from.host,
            });
          }
        },
      });
    } catch (error) {
      if (error instanceof SlackDownloadError) throw error;
      const refused = outboundRefusal(error);
      if (refused?.reason === 'redirects') {
        throw new SlackDownloadError('Slack redirected the download too many times', {
          kind: 'unavailable',
          reason: 'too many redirects',
        });
      }
      if (refused) {
        throw new SlackDownloadError(`the download was led astray: ${refused.message}`, {
          kind: 'led-astray',
          reason: refused.message,
        });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new SlackDownloadError(
        `downloading from Slack failed: ${reason}`,
        { kind: 'unavailable', reason },
        {
          cause: error,
        },
      );
    }
    const { response } = answer;
    const { statusCode: status, headers } = response;
    if (status === 200) {
      const contentType = header(headers['content-type']);
      if (isHtml(contentType) && !isHtml(file.mimetype)) {
        await response.body.dump();
        throw new SlackDownloadError('Slack answered a page of HTML instead of the file', {
          kind: 'login-page',
          host: answer.url.host,
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

  /** Slack's hosts over https, and the exact origin of the configured Web API. */
  private trusted(url: URL): boolean {
    if (url.username || url.password) return false;
    if (hasOrigin(url, this.ownOrigin)) return true;
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
