import { AsyncLocalStorage } from 'node:async_hooks';

interface Tally {
  calls: number;
  observed: boolean;
}

/**
 * Counts the store calls made on behalf of one Slack payload: its listeners' calls and those of the work they start
 * (a reply's delivery, when its event started it), followed through promises and timers by Node's async context. A
 * reply that waited behind others in its session's drain is carried by the drain of an earlier event, so only the
 * first acceptance by Devin in a payload's context is reported (`take`): the figure is that of a lone reply.
 */
export class StoreCallTally {
  private readonly current = new AsyncLocalStorage<Tally>();

  /** Runs `work` (the handling of one payload) with a tally of its own. */
  run<T>(work: () => T): T {
    return this.current.run({ calls: 0, observed: false }, work);
  }

  /** One store call, counted in the tally of the payload it is made for, if any. */
  counted(): void {
    const tally = this.current.getStore();
    if (tally) tally.calls += 1;
  }

  /** The calls counted so far in this context: once per payload, undefined after that or outside one. */
  take(): number | undefined {
    const tally = this.current.getStore();
    if (!tally || tally.observed) return undefined;
    tally.observed = true;
    return tally.calls;
  }
}
