import type { Logger } from '../logger';

/**
 * Work that must not hold Slack's HTTP answer: in HTTP mode the app answers only when a listener returns (so that a
 * reply is recorded before Slack hears back), and Slack wants that answer within 3 seconds. Slow work (Devin's API,
 * delivery after Resend) runs here; failures are logged once, and shutdown can wait for it.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  run(what: string, context: Record<string, unknown>, work: () => Promise<unknown>): void {
    const task = work()
      .then(() => undefined)
      .catch((error: unknown) => this.log.error({ ...context, err: error }, `${what} failed`))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
