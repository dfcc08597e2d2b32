import type { LogContext } from '../../lib/log-fields';
import type { SharedFile } from '../model/replies';
import type { ThreadRef } from '../model/threads';
import type { DevinApiError } from './devin-errors';

/** One try at moving a file from Slack to Devin. */
export type FileTransfer =
  | { kind: 'attached'; url: string }
  /** `problem` completes "Could not attach "<name>": …"; a retryable one may work later (429, 5xx, no answer). */
  | { kind: 'failed'; problem: string; retryable: boolean; retryAfterMs?: number }
  /** Devin refused the API key: the same misconfiguration as a refused message. */
  | { kind: 'unauthorized'; error: DevinApiError };

/** Files shared in Slack, on their way to Devin: fetched from Slack and uploaded to Devin's attachment endpoint. */
export interface FilesToDevin {
  /** Streams one file from Slack to Devin, within the size limit; never throws for what Slack or Devin answer. */
  transfer(file: SharedFile, context: LogContext): Promise<FileTransfer>;
}

/** Files Devin attached to its messages (their `attachments`), on their way into the thread. */
export interface FilesFromDevin {
  /**
   * Puts one attachment in the thread as a file (or, over the size limit or when it cannot be fetched, its link with a
   * note), paced with the channel's other posts. Throws only when Slack could not be told at all (tried again later).
   */
  share(thread: ThreadRef, url: string): Promise<void>;
}
