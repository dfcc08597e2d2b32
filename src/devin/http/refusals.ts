import type { DevinApiVersion } from '../../config/load-config';
import { DevinApiError, type DevinPermission } from '../../relay/ports/devin-errors';
import { type Answer, errorDetail } from './devin-http';

/** The kind of `DEVIN_API_KEY`, by its prefix: a service user's token works with API v3, an API key with v1. */
export type KeyKind = 'cog_' | 'apk_' | 'other';

export function keyKindOf(apiKey: string): KeyKind {
  if (apiKey.startsWith('cog_')) return 'cog_';
  if (apiKey.startsWith('apk_')) return 'apk_';
  return 'other';
}

/** Why Devin answered 401, naming `DEVIN_API_KEY` (never its value), the kind of key and the API version. */
export function refusedKeyReason(version: DevinApiVersion, apiKey: string): string {
  const kind = keyKindOf(apiKey);
  if (version === 'v3') {
    if (kind === 'apk_')
      return "DEVIN_API_KEY is an apk_ key, which API v3 refuses (v3 needs a service user's cog_ token)";
    if (kind === 'cog_')
      return "API v3 refused DEVIN_API_KEY, a service user's cog_ token (revoked, expired or mistyped)";
    return "API v3 refused DEVIN_API_KEY, which is not a service user's cog_ token";
  }
  if (kind === 'cog_') return 'DEVIN_API_KEY is a cog_ token, which API v1 refuses (set DEVIN_API_VERSION=v3 or auto)';
  if (kind === 'apk_') return 'API v1 refused DEVIN_API_KEY, an apk_ key (revoked or mistyped)';
  return 'API v1 refused DEVIN_API_KEY, which is not an apk_ key';
}

/**
 * The error for an answer that is not the one asked for. A 401 says which key was refused by which version; a 403
 * from API v3 names the permission Devin's documentation requires for the call (`permission`).
 */
export function refusal(
  what: string,
  answer: Answer,
  context: { version: DevinApiVersion; apiKey: string; permission?: DevinPermission },
): DevinApiError {
  const detail = errorDetail(answer);
  const api = context.version === 'v3' ? "Devin's API v3" : "Devin's API";
  let message = `${api} refused to ${what} (HTTP ${answer.status})`;
  if (answer.status === 401) message += `: ${refusedKeyReason(context.version, context.apiKey)}`;
  if (answer.status === 403 && context.permission) {
    message += `: the service user in DEVIN_API_KEY needs the ${context.permission} permission`;
  }
  return new DevinApiError(message, answer.status, detail, answer.retryAfterMs, {
    ...(answer.status === 403 && context.permission ? { permission: context.permission } : {}),
  });
}
