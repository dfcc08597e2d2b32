/** Why a Web API call failed, as far as retrying it is concerned. */
export type SlackFailure =
  /** HTTP 429: wait `retryAfterMs`, then try again. */
  | { kind: 'rate-limited'; retryAfterMs: number }
  /** Slack refused this call for good (`ok: false` with a code that will not change on a retry). */
  | { kind: 'refused'; code: string }
  /** Network error, 5xx, timeout or any other answer: it may work later. */
  | { kind: 'outage'; reason: string };

/** `ok: false` codes that a retry cannot change: the call is dropped at once instead of holding up its lane. */
const REFUSED = new Set([
  'account_inactive',
  'cant_update_message',
  'channel_not_found',
  'edit_window_closed',
  'invalid_arguments',
  'invalid_auth',
  'invalid_blocks',
  'invalid_name',
  'is_archived',
  'message_not_found',
  'missing_scope',
  'msg_too_long',
  'no_permission',
  'not_authed',
  'not_enabled',
  'not_in_channel',
  'restricted_action',
  'thread_not_found',
  'token_revoked',
  'too_many_reactions',
  'user_not_found',
  'view_too_large',
]);

interface WebApiErrorLike {
  code?: string;
  retryAfter?: number;
  message?: string;
  data?: { error?: string; response_metadata?: { retryAfter?: number } };
}

/**
 * Reads an error thrown by `@slack/web-api`'s WebClient. With `rejectRateLimitedCalls: true` a 429 throws
 * `WebAPIRateLimitedError` (code `slack_webapi_rate_limited_error`, `retryAfter` in seconds); an `ok: false` answer
 * throws `WebAPIPlatformError` (code `slack_webapi_platform_error`, `data.error`); a non-200 answer
 * `WebAPIHTTPError`, and a network failure `WebAPIRequestError`.
 */
export function slackFailure(error: unknown): SlackFailure {
  const e = (error ?? {}) as WebApiErrorLike;
  const retryAfter =
    e.retryAfter ?? (e.data?.error === 'ratelimited' ? e.data.response_metadata?.retryAfter : undefined);
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter)) {
    return { kind: 'rate-limited', retryAfterMs: Math.max(0, retryAfter) * 1000 };
  }
  const code = e.data?.error;
  if (e.code === 'slack_webapi_platform_error' && code && REFUSED.has(code)) return { kind: 'refused', code };
  return { kind: 'outage', reason: code ?? e.message ?? String(error) };
}

/** The `ok: false` code of a Web API error, if it has one. */
export function slackErrorCode(error: unknown): string | undefined {
  return (error as WebApiErrorLike | undefined)?.data?.error;
}

/** True when Slack answered the call with `ok: false` (not a 429, an HTTP error or no answer). */
export function isSlackRefusal(error: unknown): boolean {
  return (error as WebApiErrorLike | undefined)?.code === 'slack_webapi_platform_error';
}
