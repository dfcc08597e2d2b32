/** Addresses a reader takes a label for: a URL, a `www.` or bare host (`name.tld`), an e-mail address. */
const ADDRESS = /(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[\w.%+-]+@)?(?:[a-z0-9-]+\.)+[a-z]{2,}\b(?:[/?#]\S*)?/gi;
const SCHEME = /^[a-z][a-z0-9+.-]*:(?:\/\/)?/i;

/**
 * True when a link's label names an address other than its target, so that Slack would show one place and open
 * another (`[https://good.example](https://evil.example)`). An address on the target's host, or on a domain the host
 * belongs to, is fine; so is a file name the target's path ends with (`[README.md](https://github.com/o/r/blob/main/README.md)`).
 * An e-mail address must be the one a `mailto:` target writes to.
 */
export function labelMisleads(label: string, href: string): boolean {
  const target = href.replace(SCHEME, '').toLowerCase();
  const targetHost = hostOf(target);
  for (const [found] of label.matchAll(ADDRESS)) {
    const address = found.toLowerCase();
    if (address.includes('@')) {
      if (address.replace(SCHEME, '') !== target) return true;
      continue;
    }
    const host = hostOf(address.replace(SCHEME, ''));
    if (host === targetHost || targetHost.endsWith(`.${host}`)) continue;
    const bare = !SCHEME.test(address) && !address.startsWith('www.');
    if (bare && pathOf(target).endsWith(`/${address}`)) continue;
    return true;
  }
  return false;
}

function hostOf(withoutScheme: string): string {
  const host = withoutScheme.replace(/^[^@/?#]*@/, '').split(/[/?#:]/)[0] ?? '';
  return host.replace(/^www\./, '');
}

function pathOf(withoutScheme: string): string {
  return withoutScheme.split(/[?#]/)[0] ?? '';
}
