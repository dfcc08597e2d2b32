/**
 * The store a `STORE_URL` names, fit for a log line or a readiness answer: `sqlite://<path>`, `memory://`, or a Redis
 * URL with its scheme, host, port and database only (never the user name, password or options).
 */
export function describeStore(url: string): string {
  if (!url.startsWith('redis://') && !url.startsWith('rediss://')) return url;
  try {
    const parsed = new URL(url);
    const database = parsed.pathname === '/' ? '' : parsed.pathname;
    return `${parsed.protocol}//${parsed.host}${database}`;
  } catch {
    return `${url.split(':')[0]}://(unreadable URL)`;
  }
}

/** The password in a store URL (a Redis URL may hold one), to keep out of what the app writes. */
export function storePassword(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}
