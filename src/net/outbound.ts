import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { Agent, type Dispatcher, request } from 'undici';

/**
 * Where the app's secrets may go, and where its requests may be led: the one place that parses a URL it was handed,
 * compares origins, and follows redirects. A redirect is followed only to https on a public address (checked after DNS
 * resolution, when the connection is made) or to an origin the configuration names, and never carries a key or token.
 * Behind a proxy (`HTTPS_PROXY`) the proxy makes the connection: the name is then resolved here first and refused when
 * it names a private address; a name only the proxy can resolve is left to it.
 */

/** The URL, or undefined when `value` is none (or not one relative to `base`). */
export function parseUrl(value: unknown, base?: URL | string): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/** A plain web address, as a link may hold it: http(s), and none of whitespace, `<`, `>` or `|` (which end a link). */
const LINKABLE = /^https?:\/\/[^\s<>|]+$/;

/**
 * True for an address that may go into a Slack link as it is (`<url|label>`): a plain web address of at most
 * `maxLength` characters. Anything else (another scheme, markup, a line break, an endless string) is shown as text.
 */
export function isLinkableUrl(url: string, maxLength = 1000): boolean {
  return LINKABLE.test(url) && url.length <= maxLength;
}

/** True for an http(s) address that parses (where the app may answer, such as a command's `response_url`). */
export function isWebUrl(value: unknown): value is string {
  const url = parseUrl(value);
  return url?.protocol === 'https:' || url?.protocol === 'http:';
}

/** Scheme, host and port of `url`, as URL's `origin` writes them; '' for what is no URL. */
export function originOf(url: string): string {
  return parseUrl(url)?.origin ?? '';
}

/** True when `url` has exactly this origin (scheme, host and port). */
export function hasOrigin(url: URL, origin: string): boolean {
  return origin !== '' && url.origin === origin;
}

/** Addresses nothing of the app's may be led to: loopback, private, link-local (cloud metadata), shared, reserved. */
const REFUSED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv6');
}

/** True for an address on the public internet; false for loopback, private, link-local, metadata and the like. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !REFUSED.check(address, 'ipv4');
  if (family !== 6) return false;
  const lower = address.toLowerCase();
  // IPv4 inside IPv6 (mapped, or translated by NAT64): the IPv4 address decides.
  const embedded = /^(?:::ffff:(?:0:)?|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (embedded) return isPublicAddress(embedded);
  const hex = /^(?:::ffff:(?:0:)?|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const n = (Number.parseInt(hex[1] ?? '0', 16) << 16) | Number.parseInt(hex[2] ?? '0', 16);
    return isPublicAddress([24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.'));
  }
  return !REFUSED.check(address, 'ipv6');
}

/** A request that would have gone where the rules forbid; nothing was sent there. */
export class OutboundRefusedError extends Error {
  readonly code = 'ERR_OUTBOUND_REFUSED';
  constructor(
    message: string,
    readonly reason: 'scheme' | 'address' | 'redirects',
  ) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** `dns.lookup`, failing for a host any of whose addresses is not public (so a connection is never made to it). */
function publicLookup(
  hostname: string,
  options: LookupAllOptions | number | undefined,
  callback: LookupCallback,
): void {
  const asked: Partial<LookupAllOptions> = typeof options === 'object' && options !== null ? options : {};
  dnsLookup(hostname, { ...asked, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused || addresses.length === 0) {
      const why = refused ? `${hostname} resolves to ${refused.address}, which is not a public address` : 'no address';
      return callback(Object.assign(new OutboundRefusedError(why, 'address'), { errno: 0 }), []);
    }
    if (asked.all) return callback(null, addresses);
    const [first] = addresses;
    callback(null, first?.address ?? '', first?.family);
  });
}

/** Connections only to public addresses, each checked after DNS resolution (no window to re-point the name). */
const publicOnly = new Agent({ connect: { lookup: publicLookup as never } });

export interface FollowOptions {
  /** `Authorization` for the first request only (the caller decides whether its URL may have it); never on a redirect. */
  authorization?: string | undefined;
  /** Origins the configuration names: a redirect to one of them is followed as configured (scheme and address). */
  configured: ReadonlySet<string>;
  signal: AbortSignal;
  /**
   * The proxy requests leave through, if one is configured: every hop goes through it, a redirect to a host the
   * configuration does not name after its name was checked here. Without one, such a hop goes through a dispatcher that
   * connects only to public addresses.
   */
  dispatcher?: Dispatcher | undefined;
  maxRedirects?: number;
  /** Sees each redirect before it is followed, and may refuse it by throwing (Slack's sign-in page). */
  onRedirect?: (next: URL, from: URL) => void;
}

/** Why a redirect is not followed, or undefined when it may be (and through which dispatcher). */
export function redirectRefusal(next: URL, configured: ReadonlySet<string>): string | undefined {
  if (configured.has(next.origin)) return undefined;
  if (next.protocol !== 'https:') return `a redirect to ${next.protocol}// is not followed (https only)`;
  const literal = next.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !isPublicAddress(literal)) return `a redirect to ${literal}, which is not a public address`;
  return undefined;
}

/**
 * GETs `url`, following redirects by hand under the rules above. Resolves with the last answer (its body is the
 * caller's to read or dump) and where it came from; a refused redirect throws `OutboundRefusedError`.
 */
export async function getFollowing(
  url: URL,
  options: FollowOptions,
): Promise<{ response: Dispatcher.ResponseData; url: URL }> {
  const maxRedirects = options.maxRedirects ?? 5;
  let target = url;
  for (let hop = 0; ; hop += 1) {
    const first = hop === 0;
    const trusted = first || options.configured.has(target.origin);
    if (!trusted && options.dispatcher) await refusePrivateName(target.hostname);
    const dispatcher = options.dispatcher ?? (trusted ? undefined : publicOnly);
    const response = await request(target, {
      method: 'GET',
      headers: first && options.authorization ? { authorization: options.authorization } : {},
      signal: options.signal,
      ...(dispatcher ? { dispatcher } : {}),
    });
    const location = header(response.headers.location);
    if (response.statusCode < 300 || response.statusCode >= 400 || !location) return { response, url: target };
    await response.body.dump();
    const next = parseUrl(location, target);
    if (!next) throw new OutboundRefusedError('a redirect to something that is no URL is not followed', 'scheme');
    options.onRedirect?.(next, target);
    if (hop >= maxRedirects) throw new OutboundRefusedError(`more than ${maxRedirects} redirects`, 'redirects');
    const refusal = redirectRefusal(next, options.configured);
    if (refusal) throw new OutboundRefusedError(refusal, next.protocol === 'https:' ? 'address' : 'scheme');
    target = next;
  }
}

/**
 * Before a proxy connects to `hostname`: refused when it resolves here to an address that is not public. A name that
 * does not resolve here (a network that only the proxy sees out of) is the proxy's to resolve.
 */
async function refusePrivateName(hostname: string): Promise<void> {
  const literal = hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal)) return;
  const addresses = await dnsLookupAll(literal, { all: true }).catch(() => []);
  const refused = addresses.find((a) => !isPublicAddress(a.address));
  if (refused) {
    throw new OutboundRefusedError(
      `${hostname} resolves to ${refused.address}, which is not a public address`,
      'address',
    );
  }
}

/** The refusal inside a failed request (undici may wrap the connection's error), if one is there. */
export function outboundRefusal(error: unknown): OutboundRefusedError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (e instanceof OutboundRefusedError) return e;
  }
  return undefined;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
