import type { SessionState } from './model/session-state';

export interface PollPolicy {
  /** How often a working session is polled. */
  activeMs: number;
  /** The longest wait between two polls of a session that waits for people, sleeps, or has no known state. */
  maxIdleMs: number;
  /** The longest wait between two polls of a working session that has gone quiet (it may answer any time). */
  maxWorkingMs: number;
  /** Polls without news after which a working session counts as idle. */
  idleAfterPolls: number;
}

export const defaultPollPolicy = (activeMs: number): PollPolicy => ({
  activeMs,
  maxIdleMs: 5 * 60_000,
  maxWorkingMs: 60_000,
  idleAfterPolls: 12,
});

/**
 * When to poll a session next. A working session is polled every `activeMs` until it has been quiet for
 * `idleAfterPolls` polls, then less and less, up to `maxWorkingMs`; a session that waits for people or sleeps is polled
 * less and less from its first quiet poll: the wait doubles with each poll that finds nothing new, up to `maxIdleMs`.
 * Any news resets `quietPolls` to 0.
 */
export function nextPollDelay(state: SessionState | undefined, quietPolls: number, policy: PollPolicy): number {
  const working = state === 'working' || state === undefined;
  const slowing = working ? quietPolls - policy.idleAfterPolls : quietPolls + 1;
  if (slowing <= 0) return policy.activeMs;
  const cap = state === 'working' ? Math.max(policy.activeMs, policy.maxWorkingMs) : policy.maxIdleMs;
  return Math.min(cap, policy.activeMs * 2 ** Math.min(slowing, 20));
}
