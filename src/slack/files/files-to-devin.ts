import { IdleDeadline } from '../../lib/idle-deadline';
import type { LogContext } from '../../lib/log-fields';
import type { Logger } from '../../lib/logger';
import { plainFileName } from '../../relay/file-outcomes';
import type { SharedFile } from '../../relay/model/replies';
import type { DevinApi } from '../../relay/ports/devin';
import { DevinApiError, DevinNetworkError } from '../../relay/ports/devin-errors';
import type { FilesToDevin, FileTransfer } from '../../relay/ports/files';
import { discard } from './discard';
import { counted, type FileLimits, FileTooLarge, overLimit } from './file-limits';
import { type DownloadFailure, SlackDownloadError, type SlackFileDownload } from './slack-file-download';

export interface SlackFilesToDevinDeps {
  download: SlackFileDownload;
  devin: Pick<DevinApi, 'uploadAttachment'>;
  limits: FileLimits;
  /** A transfer that moves no byte for this long is given up (and tried again if there is time). */
  idleTimeoutMs: number;
  log: Logger;
}

export const LOGIN_PAGE_PROBLEM =
  'Slack answered with its sign-in page instead of the file (the app needs the files:read scope)';

/**
 * Streams files from Slack to Devin: Slack's download is piped into the multipart upload as it arrives, counted on the
 * way, so no file is ever held whole and one over `MAX_FILE_MB` is cut off (refused before any download when Slack's
 * size already says so).
 */
export class SlackFilesToDevin implements FilesToDevin {
  constructor(private readonly deps: SlackFilesToDevinDeps) {}

  async transfer(file: SharedFile, context: LogContext): Promise<FileTransfer> {
    const { limits } = this.deps;
    if (!file.url) return failed('Slack gave no download link for it', false);
    if ((file.size ?? 0) > limits.maxBytes) return failed(overLimit(limits), false);
    const deadline = new IdleDeadline(this.deps.idleTimeoutMs);
    const name = plainFileName(file.name || file.title || 'file');
    try {
      let opened: Awaited<ReturnType<SlackFileDownload['open']>>;
      try {
        opened = await this.deps.download.open(
          { url: file.url, ...(file.mimetype ? { mimetype: file.mimetype } : {}) },
          deadline.signal,
        );
      } catch (error) {
        if (error instanceof SlackDownloadError) return this.downloadFailed(error.failure, name, context);
        throw error;
      }
      const { body } = opened;
      if ((opened.length ?? 0) > limits.maxBytes) {
        discard(body);
        return failed(overLimit(limits), false);
      }
      let tooLarge = false;
      let broken: unknown;
      const source = (async function* () {
        try {
          yield* counted(body, limits.maxBytes, () => deadline.touch());
        } catch (error) {
          if (error instanceof FileTooLarge) tooLarge = true;
          else broken = error;
          throw error;
        } finally {
          discard(body);
        }
      })();
      try {
        const type = file.mimetype ?? opened.contentType;
        const url = await this.deps.devin.uploadAttachment(
          { name, ...(type ? { type } : {}), source },
          deadline.signal,
        );
        return { kind: 'attached', url };
      } catch (error) {
        if (tooLarge) return failed(overLimit(limits), false);
        if (broken !== undefined) return failed(`the download from Slack broke off (${describe(broken)})`, true);
        if (error instanceof DevinApiError) {
          if (error.unauthorized) return { kind: 'unauthorized', error };
          return failed(`Devin's API refused the upload (HTTP ${error.status})`, error.retryable, error.retryAfterMs);
        }
        if (error instanceof DevinNetworkError) return failed(`Devin's API could not be reached (${error.code})`, true);
        throw error;
      } finally {
        discard(body);
      }
    } finally {
      deadline.clear();
    }
  }

  private downloadFailed(failure: DownloadFailure, name: string, context: LogContext): FileTransfer {
    switch (failure.kind) {
      case 'login-page':
        this.deps.log.error(
          { ...context, file: name, host: failure.host },
          'Slack answered a file download with its sign-in page: SLACK_BOT_TOKEN lacks the files:read scope; add it ' +
            '(see manifest.yml) and reinstall the app',
        );
        return failed(LOGIN_PAGE_PROBLEM, false);
      case 'untrusted':
        return failed(`its download link does not lead to Slack (${failure.host})`, false);
      case 'led-astray':
        this.deps.log.warn({ ...context, file: name, reason: failure.reason }, 'a file download redirect was refused');
        return failed('its download was redirected where the app does not follow', false);
      case 'refused':
        return failed(`Slack refused the download (HTTP ${failure.status})`, false);
      case 'unavailable':
        return failed(`the download from Slack failed (${failure.reason})`, true, failure.retryAfterMs);
    }
  }
}

function failed(problem: string, retryable: boolean, retryAfterMs?: number): FileTransfer {
  return { kind: 'failed', problem, retryable, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
