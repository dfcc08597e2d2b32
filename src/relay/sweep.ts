import type { Logger } from '../lib/logger';
import { RepeatedFailure } from '../lib/repeated-failure';

export interface SweepDeps {
  /** Waiting replies nobody is delivering (left by a crash, or by a replica that died). */
  deliverer: { resumeAll(): Promise<void> };
  /** Session starts that are due again. */
  starts: { resumeDue(): Promise<void> };
  log: Logger;
}

/**
 * Looks every `everyMs` for work nobody carries on: waiting replies and session starts whose lease lapsed. An outage
 * is logged once, and its end once. The timer does not keep the process alive; the returned function stops it.
 */
export function startSweep(deps: SweepDeps, everyMs: number): () => void {
  const replies = new RepeatedFailure(deps.log, 'the sweep for waiting replies');
  const starts = new RepeatedFailure(deps.log, 'the sweep for pending session starts');
  const timer = setInterval(() => {
    deps.deliverer.resumeAll().then(
      () => replies.succeeded(),
      (error: unknown) => replies.failed(error),
    );
    deps.starts.resumeDue().then(
      () => starts.succeeded(),
      (error: unknown) => starts.failed(error),
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
