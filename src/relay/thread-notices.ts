import type { Store } from '../store/store';
import type { StoreLock } from '../store/store-lock';
import type { Notice, SlackPort, ThreadRef } from './types';

interface OpenNotice {
  ts: string;
  kind: Notice['kind'];
}

const noticeKey = (t: ThreadRef) => `notice:${t.team}:${t.channel}:${t.threadTs}`;

/**
 * One notice per thread per streak of trouble: while a session stays paused (or failing) the same notice is
 * updated in place instead of a new one per message; when things recover it says so.
 */
export class ThreadNotices {
  constructor(
    private readonly store: Store,
    private readonly lock: StoreLock,
    private readonly slack: SlackPort,
  ) {}

  open(thread: ThreadRef, notice: Notice): Promise<void> {
    return this.lock.run(noticeKey(thread), async () => {
      const current = await this.store.get<OpenNotice>(noticeKey(thread));
      if (current?.kind === notice.kind) {
        await this.slack.updateNotice(thread, current.ts, notice);
        return;
      }
      const ts = await this.slack.postNotice(thread, notice);
      if (ts) await this.store.set(noticeKey(thread), { ts, kind: notice.kind } satisfies OpenNotice);
    });
  }

  /** Closes the open notice of a thread, rewriting it to say how things ended. */
  resolve(thread: ThreadRef, outcome: Notice): Promise<boolean> {
    return this.lock.run(noticeKey(thread), async () => {
      const current = await this.store.get<OpenNotice>(noticeKey(thread));
      if (!current) return false;
      await this.slack.updateNotice(thread, current.ts, outcome);
      await this.store.delete(noticeKey(thread));
      return true;
    });
  }
}
