export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

/**
 * Exponential backoff with full jitter (a random wait up to base * 2^attempt, capped). A server's `Retry-After`
 * wins over the computed wait.
 */
export function backoffDelay(attempt: number, random: number, retryAfterMs?: number, policy = defaultBackoff): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return Math.max(50, Math.round(ceiling * random));
}
