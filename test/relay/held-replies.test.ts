import { HeldReplies } from '../../src/relay/held-replies';
import type { ReplyQueue } from '../../src/relay/ports/reply-queue';
import type { Store } from '../../src/relay/ports/store';
import { PostProgress } from '../../src/relay/post-progress';
import { RelayedTexts } from '../../src/relay/relayed-texts';
import { SessionWatches } from '../../src/relay/session-watches';
import { memoryParts, quietLog, threadReply } from '../support/domain-parts';

describe('HeldReplies', () => {
  let store: Store;
  let queue: ReplyQueue;
  let close: () => Promise<void>;
  let watches: SessionWatches;
  let kicked: string[];
  let held: HeldReplies;
  beforeEach(async () => {
    ({ store, queue, close } = await memoryParts());
    watches = new SessionWatches({
      store,
      relayed: new RelayedTexts(store, () => 0),
      progress: new PostProgress(store),
      log: quietLog(),
    });
    kicked = [];
    held = new HeldReplies({
      watches,
      queue,
      deliverer: { kick: async (id) => void kicked.push(id) },
      log: quietLog(),
    });
  });
  afterEach(() => close());

  it('queues the held replies again, in order, and starts their delivery once the session works again', async () => {
    await queue.record(threadReply(1));
    await queue.record(threadReply(2));
    await queue.setStates('devin-s1', ['queued'], 'held', 'asleep');
    await watches.holdWaiting('devin-s1');
    await held.wake('devin-s1');
    expect((await queue.list('devin-s1')).map((r) => [r.id, r.state])).toEqual([
      ['T1:C1:100.1', 'queued'],
      ['T1:C1:100.2', 'queued'],
    ]);
    expect(kicked).toEqual(['devin-s1']);
    expect(await watches.heldWaiting('devin-s1')).toBe(false);
  });

  it('starts no delivery when nothing was held, and leaves failed replies for Resend', async () => {
    await queue.record(threadReply(1));
    await queue.setStates('devin-s1', ['queued'], 'failed', 'no answer');
    await held.wake('devin-s1');
    expect(kicked).toEqual([]);
    expect((await queue.list('devin-s1')).map((r) => r.state)).toEqual(['failed']);
  });
});
