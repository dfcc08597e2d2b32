import type { Dispatcher } from 'undici';
import type { DevinRequestMetrics } from '../http/devin-http';

/** What every version's client is made with. */
export interface DevinClientOptions {
  apiUrl: string;
  apiKey: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Each request is timed by endpoint and answer class. */
  metrics?: DevinRequestMetrics;
  /** Devin's web app (`DEVIN_WEB_URL`): sessions' addresses, and the links people paste. */
  webUrl: string;
  /** Hosts besides the API that serve Devin's attachments (`DEVIN_ATTACHMENT_HOSTS`). */
  attachmentHosts: readonly string[];
}
