import { type BackoffPolicy, backoffDelay } from '../lib/backoff';
import type { PendingStart } from './model/starts';
import { DevinApiError, isDevinError } from './ports/devin-errors';
import { explain } from './sessions';

/** A start that keeps failing for now is given up after this many attempts (or its retry window). */
const MAX_ATTEMPTS = 8;
/** Waits between attempts: the sweep looks every few seconds, so shorter waits would not be kept anyway. */
const RETRY_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 60_000 };

/** What to do after an attempt failed; `reason` is the sentence for the person (undefined: the app's own failure). */
export type AfterFailure =
  | { kind: 'refused'; reason: string }
  | { kind: 'retry'; attempts: number; delayMs: number; problem: string }
  | { kind: 'give-up'; attempts: number; reason: string | undefined };

/**
 * A refusal that will not change (Devin's 4xx other than 408, 425 and 429) ends the start at once. Anything else (5xx,
 * 429 with its `Retry-After`, no answer, an unreadable 200 that may hide a created session, a store or Slack failure)
 * is tried again with backoff, until `MAX_ATTEMPTS` or until the next try would fall past the retry window counted
 * from when the person asked.
 */
export function afterFailure(
  start: PendingStart,
  error: unknown,
  at: { now: number; random: number; retryWindowMs: number },
): AfterFailure {
  if (error instanceof DevinApiError && !error.retryable && error.status !== 200) {
    return { kind: 'refused', reason: explain(error) };
  }
  const attempts = start.attempts + 1;
  const retryAfterMs = error instanceof DevinApiError ? error.retryAfterMs : undefined;
  const delayMs = backoffDelay(attempts - 1, at.random, retryAfterMs, RETRY_BACKOFF);
  if (attempts >= MAX_ATTEMPTS || at.now + delayMs > start.receivedAt + at.retryWindowMs) {
    return { kind: 'give-up', attempts, reason: isDevinError(error) ? explain(error) : undefined };
  }
  return { kind: 'retry', attempts, delayMs, problem: error instanceof Error ? error.message : String(error) };
}
