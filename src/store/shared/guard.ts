import { bounded } from '../../lib/bounded';
import { StoreError } from '../../relay/ports/store';

/**
 * Runs one store call, turning any failure into a `StoreError`. With `timeoutMs`, a call that has not answered by then
 * fails (a paused server must not hold a request forever); what it asked may still happen later, so every caller
 * treats a timed-out write as "maybe done" (claims and records are idempotent).
 */
export async function guard<T>(operation: string, key: string, work: () => Promise<T>, timeoutMs?: number): Promise<T> {
  try {
    if (!timeoutMs) return await work();
    return await bounded(timeoutMs, work(), () => {
      throw new StoreError(`store ${operation} timed out after ${timeoutMs} ms for ${key}`, operation, key);
    });
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(`store ${operation} failed for ${key}: ${reason}`, operation, key, { cause: error });
  }
}
