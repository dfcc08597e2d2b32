import type { ReplyQueue } from '../../src/relay/ports/reply-queue';
import { StoreError } from '../../src/relay/ports/store';

/** Stands between the app and its reply queue: recording can be made to fail (the store is down) or to wait. */
export class QueueValve {
  down = false;
  private gate: Promise<void> | undefined;
  private openGate: () => void = () => undefined;
  private entered: () => void = () => undefined;
  /** Resolves when a held `record` has been called. */
  recording: Promise<void> = Promise.resolve();

  wrap(queue: ReplyQueue): ReplyQueue {
    return {
      record: async (reply, claims, caps, options) => {
        if (this.down)
          throw new StoreError(`store record failed for reply:${reply.id}: disk I/O error`, 'record', reply.id);
        this.entered();
        await this.gate;
        return queue.record(reply, claims, caps, options);
      },
      head: (sessionId) => queue.head(sessionId),
      list: (sessionId) => queue.list(sessionId),
      update: (id, change, revisions) => queue.update(id, change, revisions),
      setStates: (sessionId, from, to, problem) => queue.setStates(sessionId, from, to, problem),
      remove: (sessionId, id, delivered) => queue.remove(sessionId, id, delivered),
      withdraw: (sessionId, id) => queue.withdraw(sessionId, id),
      revise: (sessionId, id, text) => queue.revise(sessionId, id, text),
      sessionsToSend: () => queue.sessionsToSend(),
      counts: () => queue.counts(),
    };
  }

  /** The next records wait until `release()`. */
  hold(): void {
    this.gate = new Promise((resolve) => {
      this.openGate = resolve;
    });
    this.recording = new Promise((resolve) => {
      this.entered = resolve;
    });
  }

  release(): void {
    this.openGate();
    this.gate = undefined;
  }
}
