import type { DevinClient, OpenedAttachment } from '../devin/devin-client';
import type { StreamedFile } from '../devin/multipart-file';

export interface DevinAttachmentsOptions {
  devin: Pick<DevinClient, 'uploadAttachment' | 'openAttachment'>;
  /** Devin's API (`DEVIN_API_URL`): its host serves `/attachments/...` and may have the key. */
  apiUrl: string;
  /** Where Devin keeps attachments besides its API (`DEVIN_ATTACHMENT_HOSTS`, storage.devin.ai by default). */
  storageHosts: string[];
}

const ATTACHMENT_PATH = /(^|\/)attachments\/[^/]+/;

/**
 * Devin's attachment endpoint as the files need it: uploads, and the attachments its messages link to (on the API's
 * host or its storage hosts, under `/attachments/...`), fetched with the key.
 */
export class DevinAttachments {
  private readonly hosts: Set<string>;

  constructor(private readonly options: DevinAttachmentsOptions) {
    this.hosts = new Set([new URL(options.apiUrl).host, ...options.storageHosts.map((h) => h.toLowerCase())]);
  }

  /** A link to one of Devin's attachments: on one of its hosts, under `/attachments/`. */
  isAttachment(url: string): boolean {
    const parsed = parse(url);
    return parsed !== undefined && this.isDevinHost(parsed) && ATTACHMENT_PATH.test(parsed.pathname);
  }

  upload(file: StreamedFile, signal: AbortSignal): Promise<string> {
    return this.options.devin.uploadAttachment(file, signal);
  }

  open(url: string, signal: AbortSignal): Promise<OpenedAttachment> {
    return this.options.devin.openAttachment(url, { sendKeyTo: (target) => this.isDevinHost(target), signal });
  }

  private isDevinHost(url: URL): boolean {
    return (url.protocol === 'https:' || url.protocol === 'http:') && this.hosts.has(url.host.toLowerCase());
  }
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
