import type { Store } from './ports/store';
import { postProgressKey } from './ports/store-keys';

/** How far the message being posted got: `<channel>:<threadTs>:<chunk>` (or `:muted`) for each part done. */
export interface Progress {
  eventId: string;
  done: string[];
}

/**
 * The per-chunk progress of the one session message being posted, under a small key of its own, so that a retry
 * after a failure half way does not post a chunk twice, and a chunk posted costs one small write.
 */
export class PostProgress {
  constructor(private readonly store: Store) {}

  get(sessionId: string): Promise<Progress | undefined> {
    return this.store.get<Progress>(postProgressKey(sessionId));
  }

  async record(sessionId: string, progress: Progress): Promise<void> {
    await this.store.set(postProgressKey(sessionId), progress);
  }

  async clear(sessionId: string): Promise<void> {
    await this.store.delete(postProgressKey(sessionId));
  }
}
