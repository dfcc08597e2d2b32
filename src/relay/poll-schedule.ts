import type { SessionState } from './session-state';

export interface PollPolicy {
  /** How often a working session is polled. */
  activeMs: number;
  /** The longest wait between two polls of a quiet session. */
  maxIdleMs: number;
  /** Polls without news after which a working session counts as idle. */
  idleAfterPolls: number;
}

export const defaultPollPolicy = (activeMs: number): PollPolicy => ({
  activeMs,
  maxIdleMs: 5 * 60_000,
  idleAfterPolls: 12,
});

/**
 * When to poll a session next. A working session is polled every `activeMs` until it has been quiet for
 * `idleAfterPolls` polls; a session that waits for people or sleeps, and an idle one, is polled less and less: the
 * wait doubles with each poll that finds nothing new, up to `maxIdleMs`. Any news resets `quietPolls` to 0.
 */
export function nextPollDelay(state: SessionState | undefined, quietPolls: number, policy: PollPolicy): number {
  const slowing = state === 'working' || state === undefined ? quietPolls - policy.idleAfterPolls : quietPolls + 1;
  if (slowing <= 0) return policy.activeMs;
  return Math.min(policy.maxIdleMs, policy.activeMs * 2 ** Math.min(slowing, 20));
}
