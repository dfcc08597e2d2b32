import { keyKindOf } from '../http/refusals';

/** Why API v3 answered 401, naming `DEVIN_API_KEY` (never its value) and the kind of key it holds. */
export function v3RefusedKey(apiKey: string): string {
  const kind = keyKindOf(apiKey);
  if (kind === 'apk_')
    return "DEVIN_API_KEY is an apk_ key, which API v3 refuses (v3 needs a service user's cog_ token)";
  if (kind === 'cog_')
    return "API v3 refused DEVIN_API_KEY, a service user's cog_ token (revoked, expired or mistyped)";
  return "API v3 refused DEVIN_API_KEY, which is not a service user's cog_ token";
}
