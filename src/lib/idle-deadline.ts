/**
 * Aborts its signal once `ms` pass without a `touch()`: a transfer of any size gets as long as it keeps moving, and a
 * stalled one ends. The timer does not keep the process alive.
 */
export class IdleDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly ms: number) {
    this.timer = setTimeout(
      () => this.controller.abort(new DOMException(`no progress within ${ms} ms`, 'TimeoutError')),
      ms,
    );
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    if (!this.controller.signal.aborted) this.timer.refresh();
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
