import type { SessionSnapshot } from './model/devin-session';
import type { SessionWatch } from './model/session-watch';
import type { Binding } from './model/threads';

/**
 * Told of each poll of a session, after its news and state were shown, under the session's poll lease (one replica at a
 * time): `watch` is what the previous poll saw. What it does once per session it also claims in the store.
 */
export interface PollObserver {
  seen(session: SessionSnapshot, watch: SessionWatch, threads: () => Promise<Binding[]>): Promise<void>;
}
