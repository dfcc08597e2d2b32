import { EventEmitter } from 'node:events';

interface Waiter {
  timer: NodeJS.Timeout;
  reject: (error: Error) => void;
}

/**
 * What a fake peer's tests wait for: the fake emits an event when something happens (a call, a request, a delivery),
 * and `until` looks again each time, failing with what the fake saw when the time is up. `close` fails whatever still
 * waits, so that no test hangs on a fake that stopped.
 */
export class Waits {
  private readonly events = new EventEmitter();
  private readonly waiters = new Set<Waiter>();

  constructor() {
    this.events.setMaxListeners(0);
  }

  emit(event: string, ...args: unknown[]): void {
    this.events.emit(event, ...args);
  }

  /** Resolves with what `check` finds, looked for now and at each `event`; rejects with `describe()` after the time. */
  until<T>(event: string, check: () => T | undefined, describe: () => string, timeoutMs: number): Promise<T> {
    const found = check();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const listener = (): void => {
        const result = check();
        if (result === undefined) return;
        done();
        resolve(result);
      };
      const waiter: Waiter = {
        timer: setTimeout(() => {
          done();
          reject(new Error(describe()));
        }, timeoutMs),
        reject,
      };
      const done = (): void => {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        this.events.off(event, listener);
      };
      this.waiters.add(waiter);
      this.events.on(event, listener);
    });
  }

  /** Fails every wait still pending (`who` closed), and forgets the listeners. */
  close(who: string): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`${who} closed`));
    }
    this.waiters.clear();
    this.events.removeAllListeners();
  }
}
