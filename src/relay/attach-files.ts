import { backoffDelay } from '../lib/backoff';
import type { Clock } from '../lib/clock';
import type { LogContext } from '../lib/log-fields';
import type { Logger } from '../lib/logger';
import type { Notice } from './model/notices';
import type { FileOutcome, SharedFile } from './model/replies';
import type { DevinApiError } from './ports/devin-errors';
import type { FilesToDevin, FileTransfer } from './ports/files';

export interface AttachDeps {
  files: FilesToDevin;
  clock: Clock;
  log: Logger;
  /** How long a file that fails for now (429, 5xx, no answer) is tried again before it counts as failed. */
  retryWindowMs: number;
}

export interface AttachStep {
  /** Asked before each upload (it may renew the lease of the work); false stops without one. */
  mayUpload: () => Promise<boolean>;
  /** Saves the outcomes so far, as soon as each file's is known: nothing is uploaded twice after a retry or a crash. */
  record: (outcomes: FileOutcome[]) => Promise<void>;
  /** What the lines about these files are about. */
  context: LogContext;
}

export type AttachRun =
  /** Every file has its outcome, in the message's order; `failed`: those that failed in this run (to be told). */
  | { kind: 'attached'; outcomes: FileOutcome[]; failed: FileOutcome[] }
  | { kind: 'unauthorized'; error: DevinApiError }
  | { kind: 'stopped'; detail: string };

/** What the thread is told of the files a run could not attach; undefined when every one was. */
export function notAttachedNotice(run: Extract<AttachRun, { kind: 'attached' }>): Notice | undefined {
  const files = run.failed.flatMap((o) => ('problem' in o ? [{ name: o.name, problem: o.problem }] : []));
  return files.length > 0 ? { kind: 'files-not-attached', files } : undefined;
}

/** The key a file's outcome is recorded under: its Slack id, or its place in the message. */
export const fileKey = (file: SharedFile, index: number) => file.id || `#${index}`;

export const fileName = (file: SharedFile) => file.name || file.title || 'file';

/**
 * Moves a message's files to Devin, one after another, skipping those with an outcome already recorded. A file that
 * fails for now is tried again with backoff within the retry window; any file that cannot be attached is not fatal:
 * its outcome says why, and the message goes out with a line saying so.
 */
export async function attachFiles(
  files: SharedFile[],
  done: FileOutcome[] | undefined,
  deps: AttachDeps,
  step: AttachStep,
): Promise<AttachRun> {
  const outcomes = [...(done ?? [])];
  const failed: FileOutcome[] = [];
  for (const [index, file] of files.entries()) {
    const key = fileKey(file, index);
    if (outcomes.some((o) => o.key === key)) continue;
    const transfer = await withRetries(file, deps, step);
    if (transfer.kind === 'unauthorized' || transfer.kind === 'stopped') return transfer;
    const name = fileName(file);
    const outcome: FileOutcome =
      transfer.kind === 'attached' ? { key, name, url: transfer.url } : { key, name, problem: transfer.problem };
    outcomes.push(outcome);
    await step.record(outcomes);
    if ('problem' in outcome) {
      deps.log.warn(
        { ...step.context, file: name, problem: outcome.problem },
        'a file could not be attached for Devin',
      );
      failed.push(outcome);
    } else {
      deps.log.info({ ...step.context, file: name }, 'file attached for Devin');
    }
  }
  const order = files.map((file, index) => fileKey(file, index));
  outcomes.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  return { kind: 'attached', outcomes, failed };
}

async function withRetries(
  file: SharedFile,
  deps: AttachDeps,
  step: AttachStep,
): Promise<FileTransfer | { kind: 'stopped'; detail: string }> {
  const { clock, log } = deps;
  const deadline = clock.now() + deps.retryWindowMs;
  for (let attempt = 0; ; attempt += 1) {
    if (!(await step.mayUpload())) return { kind: 'stopped', detail: 'the lease is gone or the app is stopping' };
    const transfer = await deps.files.transfer(file, step.context);
    if (transfer.kind !== 'failed' || !transfer.retryable) return transfer;
    const delay = backoffDelay(attempt, clock.random(), transfer.retryAfterMs);
    if (clock.now() + delay > deadline) return transfer;
    log.warn(
      { ...step.context, file: fileName(file), attempt: attempt + 1, delay_ms: delay, problem: transfer.problem },
      'a file could not be attached yet; retrying',
    );
    await clock.sleep(delay);
  }
}
