import type { Logger } from '../lib/logger';
import type { Deliverer } from './deliverer';
import type { ReplyQueue } from './ports/reply-queue';
import type { SessionWatches } from './session-watches';

export interface HeldRepliesDeps {
  watches: Pick<SessionWatches, 'clearHeld'>;
  queue: Pick<ReplyQueue, 'setStates'>;
  deliverer: Pick<Deliverer, 'kick'>;
  log: Logger;
}

/** The replies held while a session could not take them, sent in order once polling finds it working again. */
export class HeldReplies {
  constructor(private readonly deps: HeldRepliesDeps) {}

  async wake(sessionId: string): Promise<void> {
    await this.deps.watches.clearHeld(sessionId);
    const woken = await this.deps.queue.setStates(sessionId, ['held'], 'queued');
    if (woken.length === 0) return;
    this.deps.log.info(
      { session_id: sessionId, replies: woken.length },
      'session is running again; sending held replies',
    );
    await this.deps.deliverer.kick(sessionId);
  }
}
