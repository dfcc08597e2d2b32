import type { Clock } from '../lib/clock';
import { replyFields } from '../lib/log-fields';
import type { Logger } from '../lib/logger';
import { attachFiles, notAttachedNotice } from './attach-files';
import { withFileProblems } from './file-outcomes';
import type { FileOutcome, Reply } from './model/replies';
import type { DevinApiError } from './ports/devin-errors';
import type { FeedbackPort } from './ports/feedback';
import type { FilesToDevin } from './ports/files';
import type { ReplyQueue } from './ports/reply-queue';

/** A reply ready for its first attempt, or why it cannot have one now. */
export type Prepared =
  /** `text`: its words, with a line per file that could not be attached; `attachments`: every file's outcome. */
  | { kind: 'ready'; text: string; attachments?: FileOutcome[] }
  | { kind: 'unauthorized'; error: DevinApiError }
  | { kind: 'stopped'; detail: string };

export interface ReplyAttachmentsDeps {
  files: FilesToDevin;
  queue: ReplyQueue;
  feedback: FeedbackPort;
  clock: Clock;
  log: Logger;
  retryWindowMs: number;
}

/**
 * The files of a reply from Slack, before its first attempt: each is uploaded to Devin once (its outcome recorded on
 * the reply as soon as it is known, so that a retry or a restart reuses it), and their URLs travel beside the message's
 * words. A file that cannot be attached leaves a line saying so, and the thread is told once,
 * through the feedback queue: the delivery never waits on Slack.
 */
export class ReplyAttachments {
  constructor(private readonly deps: ReplyAttachmentsDeps) {}

  async attach(reply: Reply, text: string, mayUpload: () => Promise<boolean>): Promise<Prepared> {
    const files = reply.draft?.files ?? [];
    if (files.length === 0) return { kind: 'ready', text };
    const run = await attachFiles(files, reply.attachments, this.deps, {
      mayUpload,
      record: async (attachments) => {
        await this.deps.queue.update(reply.id, { attachments });
      },
      context: replyFields(reply),
    });
    if (run.kind !== 'attached') return run;
    const notice = notAttachedNotice(run);
    if (notice && reply.origin.kind === 'thread') this.deps.feedback.tell(reply.origin.thread, notice);
    return { kind: 'ready', text: withFileProblems(text, run.outcomes), attachments: run.outcomes };
  }
}
