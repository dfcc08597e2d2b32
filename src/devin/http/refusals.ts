import { DevinApiError } from '../../relay/ports/devin-errors';
import { type Answer, errorDetail } from './devin-http';

/** The kind of `DEVIN_API_KEY`, by its prefix: a service user's token, an API key, or neither. */
export type KeyKind = 'cog_' | 'apk_' | 'other';

export function keyKindOf(apiKey: string): KeyKind {
  if (apiKey.startsWith('cog_')) return 'cog_';
  if (apiKey.startsWith('apk_')) return 'apk_';
  return 'other';
}

export interface RefusalContext {
  /** The API, as the sentence names it: `Devin's API`, `Devin's API v3`. */
  api: string;
  /** Why a 401 happened, naming `DEVIN_API_KEY` (never its value), its kind and the version. */
  refusedKey: () => string;
  /** The permission Devin's documentation requires for the call, named on a 403. */
  permission?: string;
}

/**
 * The error for an answer that is not the one asked for. A 401 says which key was refused by which version; a 403
 * names the permission the call needs (`permission`).
 */
export function refusal(what: string, answer: Answer, context: RefusalContext): DevinApiError {
  const detail = errorDetail(answer);
  let message = `${context.api} refused to ${what} (HTTP ${answer.status})`;
  if (answer.status === 401) message += `: ${context.refusedKey()}`;
  if (answer.status === 403 && context.permission) {
    message += `: the service user in DEVIN_API_KEY needs the ${context.permission} permission`;
  }
  return new DevinApiError(message, answer.status, detail, answer.retryAfterMs, {
    ...(answer.status === 403 && context.permission ? { permission: context.permission } : {}),
  });
}
