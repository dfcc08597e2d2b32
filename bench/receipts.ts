import type { FakeSlack, SlackCall } from '../test/support/fake-slack';
import type { Reply } from './load';

const DELIVERED = 'white_check_mark';

/** The delivered receipts (reactions) the fake Slack accepted, and a switch that answers reactions.add with 429. */
export class Receipts {
  private cursor = 0;
  private readonly shownOn = new Set<string>();
  private readonly refused = new WeakSet<SlackCall>();

  constructor(private readonly slack: FakeSlack) {}

  /** Every reactions.add is answered 429 with Retry-After: 30 until `lift()`. */
  throttle(): void {
    this.slack.setHandler('reactions.add', (_args, call) => {
      this.refused.add(call);
      return { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } };
    });
  }

  lift(): void {
    this.slack.clearHandler('reactions.add');
  }

  /** How many of the replies carry the delivered reaction. */
  shown(replies: Reply[]): number {
    const calls = this.slack.calls;
    for (; this.cursor < calls.length; this.cursor += 1) {
      const call = calls[this.cursor];
      if (call?.method !== 'reactions.add' || call.failed || this.refused.has(call)) continue;
      if (call.args.name === DELIVERED) this.shownOn.add(String(call.args.timestamp));
    }
    return replies.filter((r) => this.shownOn.has(r.ts)).length;
  }

  /** Waits (at most `timeoutMs`) until every reply shows the receipt; returns how many do and how long it took. */
  async waitForAll(replies: Reply[], timeoutMs: number): Promise<{ shown: number; ms: number }> {
    const started = Date.now();
    let shown = this.shown(replies);
    while (shown < replies.length && Date.now() - started < timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      shown = this.shown(replies);
    }
    return { shown, ms: Date.now() - started };
  }
}
