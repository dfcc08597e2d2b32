import type { Clock } from '../lib/clock';
import type { SessionSnapshot } from './model/devin-session';
import type { SessionWatch } from './model/session-watch';
import type { PollObserver } from './poll-observer';
import type { Store } from './ports/store';
import { WAITING_SINCE_INDEX } from './ports/store-keys';

/**
 * Since when each session waits for people (a reply or an approval): put when a poll first sees it wait, removed when it
 * works again or ends. The digest's reminders read it.
 */
export class WaitingSince implements PollObserver {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async seen(session: SessionSnapshot, watch: SessionWatch): Promise<void> {
    const index = this.store.index(WAITING_SINCE_INDEX);
    if (session.state === 'waiting' && watch.state !== 'waiting') await index.put(session.id, this.clock.now());
    else if (session.state && session.state !== 'waiting' && watch.state === 'waiting') await index.remove(session.id);
  }

  /** The sessions waiting since `before` or earlier, the longest waiting first. */
  async waitingSince(before: number, limit: number): Promise<Array<{ sessionId: string; since: number }>> {
    const entries = await this.store.index(WAITING_SINCE_INDEX).upTo(before, limit);
    return entries.map((entry) => ({ sessionId: entry.member, since: entry.score }));
  }

  /** Forgets a session (it no longer exists, or ended). */
  forget(sessionId: string): Promise<void> {
    return this.store.index(WAITING_SINCE_INDEX).remove(sessionId);
  }
}
