import { keyKindOf } from '../http/refusals';

/** Why API v1 answered 401, naming `DEVIN_API_KEY` (never its value) and the kind of key it holds. */
export function v1RefusedKey(apiKey: string): string {
  const kind = keyKindOf(apiKey);
  if (kind === 'cog_') return 'DEVIN_API_KEY is a cog_ token, which API v1 refuses (set DEVIN_API_VERSION=v3 or auto)';
  if (kind === 'apk_') return 'API v1 refused DEVIN_API_KEY, an apk_ key (revoked or mistyped)';
  return 'API v1 refused DEVIN_API_KEY, which is not an apk_ key';
}
