import { LRUCache } from 'lru-cache';
import type { DeliveryEvents } from './delivery-events';
import { authorOf, type Reply } from './model/replies';
import type { FeedbackPort } from './ports/feedback';
import type { RelayedTexts } from './relayed-texts';
import type { SessionWatches } from './session-watches';

export interface DeliveryFollowUpDeps {
  watches: Pick<SessionWatches, 'schedule' | 'steeredBy' | 'holdWaiting'>;
  relayed: Pick<RelayedTexts, 'add'>;
  slack: Pick<FeedbackPort, 'tell'>;
  now: () => number;
  /** A session's address on Devin's web app, for the notices. */
  sessionUrl: (sessionId: string) => string;
  /** How soon to look again after a reply reached Devin (an answer usually follows). */
  soonMs: number;
  /** Sessions remembered as woken at most (a session that ends is never seen asleep again); 10,000 by default. */
  maxWoken?: number;
}

/**
 * What polling makes of a delivery: a reply's words are remembered before it goes (so that the session's copy is not
 * echoed into Slack), a delivered reply brings the session's next poll forward and names its steerer, a held one is
 * sent by the next poll that finds the session working, and a thread whose reply woke the session is told so once.
 */
export class DeliveryFollowUp implements DeliveryEvents {
  /** Sessions whose waking by a reply a thread was told of, since polling last saw them asleep. */
  private readonly woken: LRUCache<string, true>;

  constructor(private readonly deps: DeliveryFollowUpDeps) {
    this.woken = new LRUCache({ max: deps.maxWoken ?? 10_000 });
  }

  /** A reply is about to be sent: remember its words, so that the session's copy is not echoed into Slack. */
  async sending(sessionId: string, text: string): Promise<void> {
    await this.deps.relayed.add(sessionId, text);
  }

  /**
   * A reply reached Devin: an answer usually follows, so look again soon. A session that had ended (and left the
   * schedule) is scheduled again, so that its answer to a reply in an old thread still arrives; the poll that finds
   * it ended again takes it out.
   */
  async delivered(sessionId: string, reply: Reply, { woke = false }: { woke?: boolean } = {}): Promise<void> {
    // Once, briefly, in the thread whose reply woke it; not again until polling sees it asleep once more.
    if (woke && reply.origin.kind === 'thread' && !this.woken.has(sessionId)) {
      this.woken.set(sessionId, true);
      this.deps.slack.tell(reply.origin.thread, { kind: 'woke', sessionUrl: this.deps.sessionUrl(sessionId) });
    }
    await this.deps.watches.schedule.soon(sessionId, this.deps.now() + this.deps.soonMs);
    const steerer = authorOf(reply);
    if (steerer) await this.deps.watches.steeredBy(sessionId, steerer, this.deps.now());
  }

  /** A reply was held: the next poll that finds the session working sends it. */
  async held(sessionId: string): Promise<void> {
    await this.deps.watches.holdWaiting(sessionId);
  }

  /** Polling saw the session asleep: a reply that wakes it again is told of again. */
  asleep(sessionId: string): void {
    this.woken.delete(sessionId);
  }
}
