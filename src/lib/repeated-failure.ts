import type { Logger } from './logger';

/**
 * A background loop (the delivery sweep, a polling round) that fails on every turn while its store or peer is down
 * logs it once, at the first failure, and once more when it works again; the turns in between log at debug only.
 */
export class RepeatedFailure {
  private failures = 0;

  constructor(
    private readonly log: Logger,
    private readonly what: string,
  ) {}

  failed(error: unknown): void {
    this.failures += 1;
    if (this.failures === 1) this.log.warn({ err: error }, `${this.what} failed; trying again until it works`);
    else this.log.debug({ err: error, failures: this.failures }, `${this.what} failed again`);
  }

  succeeded(): void {
    if (this.failures === 0) return;
    this.log.info({ failures: this.failures }, `${this.what} works again`);
    this.failures = 0;
  }
}
