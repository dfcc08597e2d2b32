import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { RepeatedFailure } from '../lib/repeated-failure';
import type { Digests } from './digests';

/**
 * Looks every `everyMs` for daily digests and reminders that are due, on the app's clock (0: never; tests tick
 * themselves). An outage is logged once, and its end once. The timer does not keep the process alive.
 */
export function startDigestTicks(digests: Pick<Digests, 'tick'>, clock: Clock, log: Logger, everyMs: number) {
  if (everyMs <= 0) return () => undefined;
  const failures = new RepeatedFailure(log, 'the daily digests');
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    digests
      .tick(clock.now())
      .then(
        () => failures.succeeded(),
        (error: unknown) => failures.failed(error),
      )
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
