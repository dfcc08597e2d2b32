import type { Receipt } from '../../relay/model/replies';

interface Shown {
  /** What this process put on the message. */
  shows?: Receipt;
  /** What an earlier run may have left on it. */
  maybe: Set<Receipt>;
}

/**
 * What each message shows, for the last `capacity` messages touched: a receipt job removes what is there and adds
 * what is wanted, so coalesced changes cost only the calls that make a difference.
 */
export class ShownReceipts {
  private readonly messages = new Map<string, Shown>();

  constructor(private readonly capacity = 20_000) {}

  /** Notes receipts an earlier run may have left on a message this process has not touched yet. */
  mayShow(key: string, receipts: Receipt[]): void {
    if (receipts.length === 0 || this.messages.has(key)) return;
    const shown = this.touch(key);
    for (const receipt of receipts) if (receipt !== shown.shows) shown.maybe.add(receipt);
  }

  /** The receipts to take off before `wanted` goes on. */
  stale(key: string, wanted: Receipt): Receipt[] {
    const shown = this.touch(key);
    const present = new Set([...(shown.shows ? [shown.shows] : []), ...shown.maybe]);
    present.delete(wanted);
    return [...present];
  }

  shows(key: string): Receipt | undefined {
    return this.messages.get(key)?.shows;
  }

  removed(key: string, receipt: Receipt): void {
    const shown = this.touch(key);
    if (shown.shows === receipt) delete shown.shows;
    shown.maybe.delete(receipt);
  }

  added(key: string, receipt: Receipt): void {
    const shown = this.touch(key);
    shown.shows = receipt;
    shown.maybe.delete(receipt);
  }

  private touch(key: string): Shown {
    const shown = this.messages.get(key) ?? { maybe: new Set<Receipt>() };
    this.messages.delete(key);
    this.messages.set(key, shown);
    if (this.messages.size > this.capacity) {
      const oldest = this.messages.keys().next();
      if (!oldest.done) this.messages.delete(oldest.value);
    }
    return shown;
  }
}
