import type { Reply } from '../../src/relay/model/replies';
import type { ReplyQueue } from '../../src/relay/ports/reply-queue';
import type { Store } from '../../src/relay/ports/store';
import { createReplyQueue } from '../../src/store/create-reply-queue';
import { createStore } from '../../src/store/create-store';
import { captureLog } from './capture-log';

/** A real store and reply queue in memory, and a log that keeps its lines: what the domain's unit tests run over. */
export async function memoryParts(): Promise<{ store: Store; queue: ReplyQueue; close: () => Promise<void> }> {
  const store = await createStore('memory://');
  const queue = await createReplyQueue(store);
  return { store, queue, close: () => store.close() };
}

export const quietLog = () => captureLog().log;

export const THREAD = { team: 'T1', channel: 'C1', threadTs: '100.0' };

/** A thread reply as recorded, `n` its place (its `ts` is `100.n`). */
export function threadReply(n: number, extra: Partial<Reply> = {}): Reply {
  const ts = `100.${n}`;
  return {
    id: `T1:C1:${ts}`,
    sessionId: 'devin-s1',
    text: `reply ${n}`,
    order: ts,
    state: 'queued',
    origin: {
      kind: 'thread',
      thread: THREAD,
      message: { team: 'T1', channel: 'C1', ts },
    },
    receivedAt: 1,
    attempts: 0,
    ...extra,
  };
}
