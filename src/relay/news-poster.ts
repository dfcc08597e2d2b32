import type { PollMark, SessionWatch } from './model/session-watch';
import type { Binding } from './model/threads';
import type { ReadNews } from './news-reader';
import type { FeedbackPort } from './ports/feedback';
import type { FilesFromDevin } from './ports/files';
import type { PostProgress } from './post-progress';
import type { RelayedTexts } from './relayed-texts';
import type { SessionWatches } from './session-watches';
import type { ThreadBindings } from './thread-bindings';

export interface NewsPosterDeps {
  bindings: Pick<ThreadBindings, 'update'>;
  watches: Pick<SessionWatches, 'save'>;
  relayed: Pick<RelayedTexts, 'forget'>;
  progress: PostProgress;
  slack: Pick<FeedbackPort, 'postInThread' | 'sessionMessageChunks'>;
  /** Devin's attachments, posted in the thread as files after the message that names them. */
  files?: FilesFromDevin;
}

/**
 * Posts Devin's news into the session's threads: each message once and in order, its chunks then its files, in every
 * thread that is not muted (a muted one counts what it skipped). The mark is saved with the watch after each message
 * (what was posted is never posted again); echoes of relayed replies are forgotten only once a saved mark is past them.
 */
export class NewsPoster {
  constructor(private readonly deps: NewsPosterDeps) {}

  /** `threads`: the session's threads, read when a message is to be posted (a poll of echoes alone reads none). */
  async post(
    sessionId: string,
    { news, end }: ReadNews,
    watch: SessionWatch,
    threads: () => Promise<Binding[]>,
  ): Promise<void> {
    let progress = await this.deps.progress.get(sessionId);
    const echoes: string[] = [];
    const save = async (mark: PollMark | undefined) => {
      await this.deps.watches.save({ ...watch, mark });
      await this.deps.relayed.forget(sessionId, echoes.splice(0));
    };
    for (const item of news) {
      if (item.kind === 'echo') echoes.push(item.relayed);
      if (item.kind !== 'devin' && item.kind !== 'person') continue;
      const { text, attachments } = item;
      const message = item.kind === 'devin' ? { markdown: text } : { markdown: text, author: item.author };
      // A message that only attaches files is shown as the files.
      const chunks = attachments.length > 0 && text === '' ? [] : this.deps.slack.sessionMessageChunks(message);
      const done = progress?.eventId === item.eventId ? progress.done : [];
      const recorded = await this.postParts(
        sessionId,
        item.eventId,
        { chunks, urls: attachments },
        await threads(),
        done,
      );
      await save(item.mark);
      if (recorded || progress) await this.deps.progress.clear(sessionId);
      progress = undefined;
    }
    if (echoes.length > 0) await save(end);
  }

  /**
   * Posts one message's chunks, then its files, in every unmuted thread, recording each part under the progress key as
   * it goes, so that a failure half way (Slack rate limiting for too long) resumes where it stopped instead of posting
   * the first chunks or files twice. The last part needs no record: the message's mark is saved right after it. True
   * when it recorded.
   */
  private async postParts(
    sessionId: string,
    eventId: string,
    { chunks, urls }: { chunks: string[]; urls: string[] },
    threads: Binding[],
    alreadyDone: string[],
  ): Promise<boolean> {
    const done = new Set(alreadyDone);
    const parts: Array<{ key: string; run: () => Promise<unknown> }> = [];
    for (const binding of threads) {
      const thread = `${binding.channel}:${binding.threadTs}`;
      if (binding.muted) {
        const run = () =>
          this.deps.bindings.update(binding, (b) => ({ skippedWhileMuted: (b.skippedWhileMuted ?? 0) + 1 }));
        parts.push({ key: `${thread}:muted`, run });
      } else {
        for (const [index, text] of chunks.entries()) {
          parts.push({ key: `${thread}:${index}`, run: () => this.deps.slack.postInThread(binding, text) });
        }
        const { files } = this.deps;
        if (files) {
          for (const [index, url] of urls.entries()) {
            parts.push({ key: `${thread}:file:${index}`, run: () => files.share(binding, url) });
          }
        }
      }
    }
    const todo = parts.filter((part) => !done.has(part.key));
    for (const [index, part] of todo.entries()) {
      await part.run();
      done.add(part.key);
      if (index < todo.length - 1) await this.deps.progress.record(sessionId, { eventId, done: [...done] });
    }
    return todo.length > 1;
  }
}
