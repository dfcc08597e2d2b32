import { parseUrl } from '../../net/outbound';

const MAX_INPUT = 2048;
const MESSAGE_PATH = /^\/archives\/([CGD][A-Z0-9]+)\/p(\d{7,20})\/?$/;
const TIMESTAMP = /^\d{1,14}\.\d{6}$/;

export function parseThreadPermalink(input: string): { channel: string; threadTs: string } | undefined {
  if (typeof input !== 'string' || input.length > MAX_INPUT) return undefined;
  const url = parseHttpsUrl(unwrapSlackLink(input.trim()).replace(/&amp;/g, '&'));
  if (!url || !isSlackHost(url.hostname)) return undefined;
  const match = MESSAGE_PATH.exec(url.pathname);
  if (!match?.[1] || !match[2]) return undefined;
  const digits = match[2];
  const messageTs = `${digits.slice(0, -6)}.${digits.slice(-6)}`;
  const parentTs = url.searchParams.get('thread_ts');
  if (parentTs !== null && !TIMESTAMP.test(parentTs)) return undefined;
  return { channel: match[1], threadTs: parentTs ?? messageTs };
}

function unwrapSlackLink(text: string): string {
  if (!text.startsWith('<') || !text.endsWith('>')) return text;
  const inner = text.slice(1, -1);
  const bar = inner.indexOf('|');
  return (bar === -1 ? inner : inner.slice(0, bar)).trim();
}

function parseHttpsUrl(text: string): URL | undefined {
  const url = parseUrl(text);
  return url?.protocol === 'https:' ? url : undefined;
}

function isSlackHost(hostname: string): boolean {
  return hostname === 'slack.com' || hostname.endsWith('.slack.com');
}

/**
 * The link that opens a thread, in the form Slack's own apps open: `https://<workspace>.slack.com/archives/<channel>/
 * p<ts without its dot>`, from the workspace's address (`auth.test`'s `url`). Without one, Slack's web client.
 */
export function threadPermalink(thread: { team: string; channel: string; threadTs: string }, workspaceUrl?: string) {
  const url = workspaceUrl ? parseHttpsUrl(workspaceUrl) : undefined;
  if (url && isSlackHost(url.hostname)) {
    return `https://${url.hostname}/archives/${thread.channel}/p${thread.threadTs.replace('.', '')}`;
  }
  return `https://app.slack.com/client/${thread.team}/${thread.channel}/thread/${thread.channel}-${thread.threadTs}`;
}
