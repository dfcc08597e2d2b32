import type { webApi } from '@slack/bolt';
import type { SessionOutcome } from '../../relay/model/notices';
import type { Receipt } from '../../relay/model/replies';
import type { Binding, MessageRef } from '../../relay/model/threads';
import type { Store } from '../../relay/ports/store';
import { outcomeShownKey } from '../../relay/ports/store-keys';
import type { FeedbackQueue } from './feedback-queue';
import { OUTCOME_EMOJI, RECEIPT_EMOJI } from './receipt-emoji';
import { ShownReceipts } from './shown-receipts';
import { slackErrorCode } from './slack-failure';

export interface ReactionsDeps {
  client: webApi.WebClient;
  queue: FeedbackQueue;
  /** Holds the outcome shown on each root message. */
  store: Store;
  /** Messages whose receipt is remembered, so that a change costs only the calls it needs. */
  rememberedReceipts?: number;
}

/** Answers to a reaction call that mean the message already looks as wanted (or is gone). */
const HARMLESS = new Set(['already_reacted', 'no_reaction', 'message_not_found']);

const receiptKey = (m: MessageRef) => `receipt:${m.team}:${m.channel}:${m.ts}`;

/**
 * Receipts and outcomes as reactions, paced per workspace in the reactions lane: a person's message shows how its
 * relay went (the latest receipt wins, and only the changes are sent), a root message how its session ended (once,
 * however often it is told).
 */
export class Reactions {
  private readonly shown: ShownReceipts;

  constructor(private readonly deps: ReactionsDeps) {
    this.shown = new ShownReceipts(deps.rememberedReceipts);
  }

  receipt(message: MessageRef, receipt: Receipt, mayShow: Receipt[] = []): void {
    const key = receiptKey(message);
    this.shown.mayShow(key, mayShow);
    this.deps.queue.offer(key, { family: 'reactions', scope: message.team }, (paced) =>
      this.showReceipt(message, key, receipt, paced),
    );
  }

  outcome(binding: Binding, outcome: SessionOutcome): void {
    if (!binding.statusTs) return;
    const { team, channel, statusTs: timestamp } = binding;
    const key = outcomeShownKey({ team, channel, ts: timestamp });
    this.deps.queue.offer(key, { family: 'reactions', scope: team }, async (paced) => {
      const wanted = OUTCOME_EMOJI[outcome];
      const shown = await this.deps.store.get<string>(key);
      if (shown === wanted) return;
      if (shown) {
        await tolerate(this.deps.client.reactions.remove({ channel, timestamp, name: shown }));
        await paced();
      }
      await tolerate(this.deps.client.reactions.add({ channel, timestamp, name: wanted }));
      await this.deps.store.set(key, wanted);
    });
  }

  /** Run when the reaction lane gets to it, so it sends the difference between what is shown now and what is wanted. */
  private async showReceipt(message: MessageRef, key: string, wanted: Receipt, paced: () => Promise<void>) {
    const { channel, ts: timestamp } = message;
    let calls = 0;
    const call = async (send: () => Promise<unknown>) => {
      if (calls > 0) await paced();
      calls += 1;
      await tolerate(send());
    };
    for (const stale of this.shown.stale(key, wanted)) {
      await call(() => this.deps.client.reactions.remove({ channel, timestamp, name: RECEIPT_EMOJI[stale] }));
      this.shown.removed(key, stale);
    }
    if (this.shown.shows(key) === wanted) return;
    await call(() => this.deps.client.reactions.add({ channel, timestamp, name: RECEIPT_EMOJI[wanted] }));
    this.shown.added(key, wanted);
  }
}

async function tolerate(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    const code = slackErrorCode(error);
    if (!code || !HARMLESS.has(code)) throw error;
  }
}
