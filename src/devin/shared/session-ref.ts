import { parseUrl } from '../../net/outbound';

const MAX_INPUT = 2048;
const PREFIXED_ID = /^devin-([0-9a-f]{16,64})$/i;
const BARE_ID = /^[0-9a-f]{16,64}$/i;
const SESSION_PATH = /^\/sessions\/(?:devin-)?([0-9a-f]{16,64})\/?$/i;

/**
 * A session's id from its id (`devin-…` or bare hex) or its web address: on Devin's own `*.devin.ai` over https, or on
 * `webUrl`'s host (`DEVIN_WEB_URL`).
 */
export function parseSessionRef(input: string, webUrl?: string): string | undefined {
  if (typeof input !== 'string' || input.length > MAX_INPUT) return undefined;
  const ref = unwrapSlackLink(input.trim());
  const prefixed = PREFIXED_ID.exec(ref);
  if (prefixed?.[1]) return canonical(prefixed[1]);
  if (BARE_ID.test(ref)) return canonical(ref);
  return sessionIdFromUrl(ref, webUrl);
}

/** Where a session is seen on Devin's web app (`DEVIN_WEB_URL`): `<webBase>/sessions/<hex>`. */
export function sessionWebUrl(sessionId: string, webBase: string): string {
  const hex = sessionId.replace(/^devin-/i, '');
  return `${webBase.replace(/\/+$/, '')}/sessions/${encodeURIComponent(hex)}`;
}

function unwrapSlackLink(text: string): string {
  if (!text.startsWith('<') || !text.endsWith('>')) return text;
  const inner = text.slice(1, -1);
  const bar = inner.indexOf('|');
  return (bar === -1 ? inner : inner.slice(0, bar)).trim();
}

function sessionIdFromUrl(text: string, webUrl: string | undefined): string | undefined {
  const url = parseUrl(text);
  if (!url) return undefined;
  const devins = url.protocol === 'https:' && url.hostname.endsWith('.devin.ai');
  if (!devins && !(webUrl && sameOrigin(url, webUrl))) return undefined;
  const hex = SESSION_PATH.exec(url.pathname)?.[1];
  return hex ? canonical(hex) : undefined;
}

function sameOrigin(url: URL, base: string): boolean {
  try {
    return new URL(base).origin === url.origin;
  } catch {
    return false;
  }
}

function canonical(hex: string): string {
  return `devin-${hex.toLowerCase()}`;
}
