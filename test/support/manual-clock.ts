import type { Clock } from '../../src/lib/clock';

interface Sleeper {
  until: number;
  wake: () => void;
}

/**
 * Virtual time that only moves when the test says so: `sleep` waits until `advance` (or `wakeNext`) reaches its end.
 * A test can see who is waiting (`sleeps`), and wait for someone to start waiting (`someoneSleeps`).
 */
export class ManualClock implements Clock {
  private time = Date.now();
  private sleepers: Sleeper[] = [];
  private watchers: Array<() => void> = [];

  now(): number {
    return this.time;
  }

  random(): number {
    return 0.5;
  }

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((wake) => {
      this.sleepers.push({ until: this.time + ms, wake });
      const watchers = this.watchers;
      this.watchers = [];
      for (const watch of watchers) watch();
    });
  }

  /** The remaining waits, shortest first. */
  get sleeps(): number[] {
    return this.sleepers.map((s) => s.until - this.time).sort((a, b) => a - b);
  }

  /** Resolves as soon as something sleeps. */
  someoneSleeps(): Promise<void> {
    if (this.sleepers.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push(resolve));
  }

  /** Moves time forward by `ms`, waking every sleeper whose wait is over. */
  advance(ms: number): void {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.until <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.until > this.time);
    for (const sleeper of due) sleeper.wake();
  }

  /** Lets virtual time run (waking each sleeper in turn) until `idle()` resolves. */
  async runUntil(idle: () => Promise<void>): Promise<void> {
    for (;;) {
      const done = idle().then(() => true);
      const asleep = this.someoneSleeps().then(() => false);
      if (await Promise.race([done, asleep])) return;
      this.wakeNext();
    }
  }

  /** Moves time to the end of the shortest wait. */
  wakeNext(): void {
    const next = this.sleeps[0];
    if (next !== undefined) this.advance(next);
  }
}
