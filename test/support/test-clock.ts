import type { Clock } from '../../src/lib/clock';

/**
 * Virtual time: `sleep` records the wait, moves the clock forward and resolves on the next turn. It starts at the real
 * time, because the fakes stamp what they record with the real time.
 */
export class TestClock implements Clock {
  readonly sleeps: number[] = [];
  private time = Date.now();

  now(): number {
    return this.time;
  }

  random(): number {
    return 0.5;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    await new Promise((resolve) => setImmediate(resolve));
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
