import { bounded } from '../lib/bounded';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';

/** How long shutdown waits for Slack to be told what is still queued. */
const FEEDBACK_WAIT_MS = 3000;
/** How long shutdown lets requests to Devin in flight finish. */
const DELIVERY_WAIT_MS = 5000;
/** How long the process waits for the app and the store to stop after a signal before it exits anyway. */
const FORCE_EXIT_MS = 10_000;

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

/**
 * SIGINT and SIGTERM stop the app, then close the store, and end the process, once whichever signal comes first;
 * should stopping hang, the process exits anyway (status 1) after `FORCE_EXIT_MS`.
 */
export function exitOnSignals(parts: {
  log: Logger;
  app: { stop(): Promise<void> };
  store: { close(): Promise<void> };
}): void {
  const { log } = parts;
  const stopping: { by?: string } = {};
  const shutdown = async (signal: string) => {
    if (stopping.by) return;
    stopping.by = signal;
    log.info({ signal }, 'shutting down: no new events; requests in flight get 5 s; waiting replies stay recorded');
    const force = setTimeout(() => process.exit(1), FORCE_EXIT_MS);
    force.unref();
    await parts.app.stop().catch((error: unknown) => log.error({ err: error }, 'stop failed'));
    await parts.store.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
