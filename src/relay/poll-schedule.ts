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
  /**
   * With a change feed (which reads a session when Devin lists it as changed): each session is also read once in this
   * long, at its own moment of the interval, and never more often after a read that worked.
   */
  safetyMs?: number;
}

export const defaultPollPolicy = (activeMs: number, safetyMs?: number): PollPolicy => ({
  activeMs,
  maxIdleMs: 5 * 60_000,
  maxWorkingMs: 60_000,
  idleAfterPolls: 12,
  ...(safetyMs ? { safetyMs } : {}),
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

/**
 * The next safety read of a session: at its own moment of each `safetyMs` (a hash of its id), so that the reads of
 * many sessions are spread evenly over the interval whenever they were watched or last read; at least `minMs` from now.
 */
export function nextSafetyPoll(sessionId: string, now: number, safetyMs: number, minMs: number): number {
  const phase = hashOf(sessionId) % safetyMs;
  let at = now - (now % safetyMs) + phase;
  while (at - now < minMs) at += safetyMs;
  return at;
}

/** FNV-1a over the id's UTF-16 units: spread evenly enough, and the same in every replica. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
