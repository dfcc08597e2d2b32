/** Why a peer could not be reached, in a few words: `connection refused`, `host not found`, `no answer within 10 s`. */
export function networkReason(error: unknown, deadlineMs: number): string {
  const causes = chain(error);
  const codes = causes.map((e) => (e as { code?: unknown }).code).filter((c): c is string => typeof c === 'string');
  // Read by shape, not `instanceof`: a DOMException (a TimeoutError) is no Error in every realm.
  const names = causes.map((e) => (e as { name?: unknown }).name);
  const has = (...wanted: string[]) => codes.some((code) => wanted.includes(code));
  if (
    names.some((n) => n === 'TimeoutError' || n === 'AbortError') ||
    codes.some((c) => c === 'TIMEOUT' || c.includes('TIMEOUT') || c === 'ETIMEDOUT')
  ) {
    return `no answer within ${seconds(deadlineMs)}`;
  }
  if (has('ECONNREFUSED')) return 'connection refused';
  if (has('ENOTFOUND', 'EAI_AGAIN')) return 'host not found';
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED')) return 'the connection was closed';
  if (has('EHOSTUNREACH', 'ENETUNREACH')) return 'no route to the host';
  const tls = codes.find((c) => c.startsWith('ERR_TLS') || c.startsWith('ERR_SSL') || c.includes('CERT'));
  if (tls) return `TLS failed (${tls})`;
  const deepest = causes.at(-1) as { message?: unknown } | undefined;
  return typeof deepest?.message === 'string' ? deepest.message : String(deepest);
}

/** `could not reach <url> (<reason>)`: the words every check and start-up use for a peer that did not answer. */
export function unreachable(url: string, reason: string): string {
  return `could not reach ${url} (${reason})`;
}

/** A URL fit to print: without user name or password (a Redis URL may carry one), without query or fragment. */
export function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The error and what caused it, outermost first (`cause`, Slack's `original`, the Redis client's `socketError`). */
function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.includes(current) && seen.length < 8) {
    seen.push(current);
    const next = current as { cause?: unknown; original?: unknown; socketError?: unknown };
    current = next.original ?? next.socketError ?? next.cause;
  }
  return seen.length > 0 ? seen : [error];
}
