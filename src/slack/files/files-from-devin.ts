import type { Readable } from 'node:stream';
import { IdleDeadline } from '../../lib/idle-deadline';
import { threadFields } from '../../lib/log-fields';
import type { Logger } from '../../lib/logger';
import { OutboundRefusedError, parseUrl } from '../../net/outbound';
import { plainFileName } from '../../relay/file-outcomes';
import type { ThreadRef } from '../../relay/model/threads';
import type { DevinApi, OpenedAttachment } from '../../relay/ports/devin';
import { DevinNetworkError } from '../../relay/ports/devin-errors';
import type { FilesFromDevin } from '../../relay/ports/files';
import { slackFailure } from '../outbound/slack-failure';
import { escapeSlackText } from '../text/outgoing-text';
import { discard } from './discard';
import { counted, type FileLimits, FileTooLarge, formatSize, overLimit } from './file-limits';
import { type SlackFileUpload, SlackUploadError } from './slack-file-upload';
import { spool } from './spool';

/** Tries of one attachment while Devin or Slack fail for now, before its link is posted instead. */
const TRIES = 3;

export interface DevinFilesToSlackDeps {
  devin: Pick<DevinApi, 'openAttachment'>;
  upload: SlackFileUpload;
  /** Posts a message in the thread (awaited, paced like Devin's messages). */
  post: (thread: ThreadRef, text: string) => Promise<void>;
  limits: FileLimits;
  idleTimeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
}

/** One try at putting an attachment in the thread. */
type Shared = { kind: 'shared' } | { kind: 'not-shared'; problem: string; retryable: boolean; size?: number };

/**
 * Devin's attachments, into the thread as files: each is fetched with the API key (following Devin's redirect to its
 * storage) and streamed into Slack's external upload, so that people see the file rather than a link they cannot
 * open. Over `MAX_FILE_MB`, or when it cannot be fetched or posted, the thread gets the link with a note instead.
 */
export class DevinFilesToSlack implements FilesFromDevin {
  constructor(private readonly deps: DevinFilesToSlackDeps) {}

  async share(thread: ThreadRef, url: string): Promise<void> {
    const name = nameOf(url);
    const context = { ...threadFields(thread), file: name };
    for (let attempt = 1; ; attempt += 1) {
      const shared = await this.tryShare(thread, url, name);
      if (shared.kind === 'shared') {
        this.deps.log.info(context, "Devin's file posted in the thread");
        return;
      }
      if (!shared.retryable || attempt >= TRIES) {
        this.deps.log.warn(
          { ...context, problem: shared.problem },
          "Devin's file not posted; its link is posted instead",
        );
        await this.deps.post(thread, note(name, url, shared));
        return;
      }
      await this.deps.sleep(1000 * 2 ** (attempt - 1));
    }
  }

  private async tryShare(thread: ThreadRef, url: string, name: string): Promise<Shared> {
    const { limits, log } = this.deps;
    const deadline = new IdleDeadline(this.deps.idleTimeoutMs);
    let body: Readable | undefined;
    try {
      let opened: OpenedAttachment;
      try {
        opened = await this.deps.devin.openAttachment(url, deadline.signal);
      } catch (error) {
        if (error instanceof DevinNetworkError) return notShared(`Devin could not be reached (${error.code})`, true);
        if (error instanceof OutboundRefusedError) {
          log.warn({ file: name, reason: error.message }, "a redirect of Devin's attachment was refused");
          return notShared('Devin redirected it where the app does not follow', false);
        }
        throw error;
      }
      body = opened.body;
      const { status } = opened;
      if (status !== 200) {
        await opened.body.dump();
        if (status === 401 || status === 403) {
          log.error({ status, file: name }, 'Devin refused DEVIN_API_KEY for one of its attachments; check the key');
          return notShared(`Devin refused this app's API key (HTTP ${status})`, false);
        }
        return notShared(`Devin answered HTTP ${status} for it`, status === 429 || status >= 500);
      }
      const announced = Number(opened.headers['content-length']);
      const length =
        opened.headers['content-length'] !== undefined && Number.isFinite(announced) ? announced : undefined;
      if (length !== undefined && length > limits.maxBytes) {
        await opened.body.dump();
        return { kind: 'not-shared', problem: overLimit(limits), retryable: false, size: length };
      }
      const source = counted(opened.body, limits.maxBytes, () => deadline.touch());
      if (length !== undefined) {
        await this.deps.upload.upload(thread, { name, length, body: source }, deadline.signal);
        return { kind: 'shared' };
      }
      // Slack wants the length before the bytes: a file of unknown length waits in a temporary file, not in memory.
      const kept = await spool(source);
      try {
        await this.deps.upload.upload(thread, { name, length: kept.length, body: kept.read() }, deadline.signal);
      } finally {
        await kept.remove();
      }
      return { kind: 'shared' };
    } catch (error) {
      if (error instanceof FileTooLarge) return notShared(overLimit(limits), false);
      if (error instanceof SlackUploadError) return notShared(error.message, true);
      const failure = slackFailure(error);
      if (failure.kind === 'refused') {
        if (failure.code === 'missing_scope') {
          log.error({ file: name }, 'Slack refused a file upload: SLACK_BOT_TOKEN lacks the files:write scope');
          return notShared('Slack refused the upload (the app needs the files:write scope)', false);
        }
        return notShared(`Slack refused the upload (${failure.code})`, false);
      }
      return notShared(`the transfer failed (${failure.kind === 'outage' ? failure.reason : 'rate limited'})`, true);
    } finally {
      discard(body);
      deadline.clear();
    }
  }
}

function notShared(problem: string, retryable: boolean): Shared {
  return { kind: 'not-shared', problem, retryable };
}

/** The file's name: the last part of its path (`/attachments/<id>/<name>`). */
function nameOf(url: string): string {
  const last = parseUrl(url)?.pathname.split('/').filter(Boolean).at(-1) ?? '';
  try {
    return plainFileName(decodeURIComponent(last) || 'attachment');
  } catch {
    return plainFileName(last || 'attachment');
  }
}

function note(name: string, url: string, shared: Extract<Shared, { kind: 'not-shared' }>): string {
  const size = shared.size === undefined ? '' : ` (${formatSize(shared.size)})`;
  return (
    `:paperclip: Devin attached *${escapeSlackText(name)}*${size}, but it could not be posted here: ` +
    `${escapeSlackText(shared.problem)}. Its link (opened with Devin's API key, or from the session): <${url}>`
  );
}
