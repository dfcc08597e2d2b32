import { hasOrigin, originOf, parseUrl } from '../../net/outbound';

export interface DevinAttachmentsOptions {
  /** Devin's API (`DEVIN_API_URL`): its origin serves `/attachments/...` and may have the key. */
  apiUrl: string;
  /** Where Devin keeps attachments besides its API (`DEVIN_ATTACHMENT_HOSTS`, storage.devin.ai by default). */
  storageHosts: readonly string[];
}

/** Devin's attachment paths, anchored: `/attachments/<id>[/<name>]` (also under `/v1/`), nothing around them. */
const ATTACHMENT_PATH = /^\/(?:v1\/)?attachments\/[^/]+(?:\/[^/]+)?$/;

/**
 * Which links are Devin's attachments: those its messages name as files, fetched with the key. A link is one of
 * Devin's attachments, and gets the key, only on an attachment path (anchored) at the exact origin of `DEVIN_API_URL`
 * (scheme, host and port), or over https on one of the attachment hosts.
 */
export class DevinAttachments {
  private readonly apiOrigin: string;
  private readonly apiPath: string;
  private readonly hosts: Set<string>;

  constructor(options: DevinAttachmentsOptions) {
    this.apiOrigin = originOf(options.apiUrl);
    this.apiPath = (parseUrl(options.apiUrl)?.pathname ?? '').replace(/\/+$/, '');
    this.hosts = new Set(options.storageHosts.map((h) => h.toLowerCase()));
  }

  /** A link to one of Devin's attachments, which may be fetched with the key. */
  isAttachment(url: string): boolean {
    const parsed = parseUrl(url);
    return parsed !== undefined && this.mayHaveKey(parsed);
  }

  /** Whether a request to `url` may carry the key: one of Devin's attachments, on its API or its storage hosts. */
  mayHaveKey(url: URL): boolean {
    if (url.username || url.password) return false;
    if (hasOrigin(url, this.apiOrigin)) {
      const path = url.pathname.startsWith(`${this.apiPath}/`) ? url.pathname.slice(this.apiPath.length) : '';
      return ATTACHMENT_PATH.test(path);
    }
    return url.protocol === 'https:' && this.hosts.has(url.host.toLowerCase()) && ATTACHMENT_PATH.test(url.pathname);
  }
}
