import type { Clock } from '../../lib/clock';

/** How fast one lane may call Slack: `perMinute` on average, up to `burst` at once after a quiet spell. */
export interface Rate {
  perMinute: number;
  burst: number;
}

/**
 * A token bucket on the app's clock. Small and written here rather than taken from bottleneck or p-queue because it
 * must run on the injected `Clock` (`now()`/`sleep()`): tests move virtual time instead of sleeping, and a lane
 * paused by Slack's `Retry-After` waits on the same clock.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private pausedUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly rate: Rate,
  ) {
    if (!(rate.perMinute > 0) || !(rate.burst >= 1)) throw new RangeError(`invalid rate ${JSON.stringify(rate)}`);
    this.tokens = rate.burst;
    this.updatedAt = clock.now();
  }

  /** Waits until a call may go out (the pause is over and a token is there), then takes the token. */
  async take(): Promise<void> {
    for (;;) {
      const paused = this.pausedUntil - this.clock.now();
      if (paused > 0) {
        await this.clock.sleep(paused);
        continue;
      }
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil((1 - this.tokens) * this.msPerToken()));
    }
  }

  /** Full and not paused: a new bucket would behave the same. */
  get rested(): boolean {
    this.refill();
    return this.tokens >= this.rate.burst && this.clock.now() >= this.pausedUntil;
  }

  /** Nothing goes out for `ms` (Slack's `Retry-After`, or a backoff); then one call may, and the rest at the rate. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
    this.tokens = 0;
    this.updatedAt = this.pausedUntil - this.msPerToken();
  }

  private refill(): void {
    const now = this.clock.now();
    if (now <= this.updatedAt) return;
    this.tokens = Math.min(this.rate.burst, this.tokens + (now - this.updatedAt) / this.msPerToken());
    this.updatedAt = now;
  }

  private msPerToken(): number {
    return 60_000 / this.rate.perMinute;
  }
}
