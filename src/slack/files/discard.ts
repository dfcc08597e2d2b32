import type { Readable } from 'node:stream';

/**
 * Stops reading an answer's body and lets its connection go. An undici body destroyed before it was read to the end
 * emits an error that nobody is left to hear; it is expected here, so it is swallowed.
 */
export function discard(body: Readable | undefined): void {
  if (!body || body.destroyed) return;
  body.once('error', () => undefined);
  body.destroy();
}
