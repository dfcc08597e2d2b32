import type { Logger } from '../../lib/logger';

/**
 * Work that must not hold Slack's HTTP answer: in HTTP mode the app answers only when a listener returns (so that a
 * reply is recorded before Slack hears back), and Slack wants that answer within 3 seconds. Slow work (Devin's API,
 * delivery after Resend) runs here; failures are logged once, and shutdown can wait for it.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  /**
   * Runs `work` without holding Slack's answer. When it fails, the log gets the error and `tellPerson` tells whoever
   * asked, in one sentence, so that nobody is left waiting for an answer that will not come.
   */
  run(
    what: string,
    context: Record<string, unknown>,
    work: () => Promise<unknown>,
    tellPerson?: (sentence: string) => Promise<unknown>,
  ): void {
    const task = work()
      .then(() => undefined)
      .catch(async (error: unknown) => {
        this.log.error({ ...context, err: error }, `${what} failed`);
        try {
          // Telling may fail too, even before it starts (a payload without a response_url has no respond).
          await tellPerson?.(`:warning: Something went wrong with ${what}, so it did not finish; please try again.`);
        } catch (telling) {
          this.log.warn({ ...context, err: telling }, 'could not tell the person');
        }
      })
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
