import { bounded } from '../lib/bounded';
import type { Clock } from '../lib/clock';

/** How long shutdown waits for Slack to be told what is still queued. */
const FEEDBACK_WAIT_MS = 3000;
/** How long shutdown lets requests to Devin in flight finish. */
const DELIVERY_WAIT_MS = 5000;

/** What stops, in the order it stops. */
export interface Stoppable {
  clock: Clock;
  /** Says the app no longer serves (`/readyz`), and stops the timers: the sweep, the key checks, App Home refreshes. */
  stopTimers(): void;
  /** Slack's events are refused (HTTP) or no longer taken (Socket Mode); routes still answer. */
  intake: { refuse(): Promise<void>; close(): Promise<void> };
  /** Work in flight: a poll, listeners' background work, a session being started, a request to Devin. */
  inFlight: Array<{ stop(): Promise<void> } | { idle(): Promise<void> }>;
  leases: { releaseAll(): Promise<void> };
  feedback: { idle(): Promise<void>; stop(): void };
  /** The proxy agent the app made for itself, if any. */
  dispatcher?: { close(): Promise<void> } | undefined;
}

/**
 * The app's shutdown, once however often it is asked for: no new events, the work in flight given a bounded time to
 * end, the leases given back at once (the next start, or another replica, takes over without waiting for them to
 * lapse), then Slack told what is still queued (bounded too), and the listeners closed.
 */
export function shutdownOf(parts: Stoppable): () => Promise<void> {
  let stopped: Promise<void> | undefined;
  return () => {
    stopped ??= (async () => {
      parts.stopTimers();
      await parts.intake.refuse();
      const ending = parts.inFlight.map((part) => ('stop' in part ? part.stop() : part.idle()));
      await bounded(
        DELIVERY_WAIT_MS,
        Promise.all(ending).then(() => undefined),
        () => undefined,
      );
      await parts.leases.releaseAll();
      await Promise.race([parts.feedback.idle(), parts.clock.sleep(FEEDBACK_WAIT_MS)]);
      parts.feedback.stop();
      await parts.intake.close();
      await parts.dispatcher?.close().catch(() => undefined);
    })();
    return stopped;
  };
}
