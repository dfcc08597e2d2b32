import type { Logger } from '../lib/logger';
import type { Deliverer } from './deliverer';
import type { MessageClaims } from './message-claims';
import type { Binding, MessageRef } from './model/threads';
import type { FeedbackPort } from './ports/feedback';
import type { ReplyQueue } from './ports/reply-queue';
import { threadReplyId } from './ports/store-keys';

export interface ReplyChangesDeps {
  deliverer: Pick<Deliverer, 'withdraw'>;
  queue: Pick<ReplyQueue, 'revise'>;
  claims: Pick<MessageClaims, 'wasDelivered' | 'firstChangeTold'>;
  feedback: Pick<FeedbackPort, 'tellPrivately'>;
  log: Logger;
}

/**
 * A thread reply edited or deleted in Slack. Before it reached Devin, the change is what Devin gets (a deletion takes
 * it back, an edit gives it new words); once it has (or may have, a request with it being out), its author is told
 * privately, once per message, that Devin keeps the original. A message that never went to Devin is not talked about.
 */
export class ReplyChanges {
  constructor(private readonly deps: ReplyChangesDeps) {}

  /** Its message was deleted (or edited into an aside, or into nothing): taken back while it waits. */
  async withdraw(
    binding: Binding,
    message: MessageRef,
    author: string | undefined,
    change: 'edited' | 'deleted',
  ): Promise<void> {
    const taken = await this.deps.deliverer.withdraw(binding.sessionId, threadReplyId(message));
    if (taken === 'withdrawn') return;
    await this.tooLate(binding, message, author, change, taken === 'in-flight');
  }

  /** Its message was edited: the new words are what Devin reads, while it waits. */
  async revise(binding: Binding, message: MessageRef, author: string | undefined, text: string): Promise<void> {
    const revised = await this.deps.queue.revise(binding.sessionId, threadReplyId(message), text);
    if (revised.kind === 'revised') {
      this.deps.log.info(
        { session_id: binding.sessionId, reply_id: revised.reply.id, revisions: revised.reply.revisions },
        'reply edited before delivery; Devin gets the new words',
      );
      return;
    }
    await this.tooLate(binding, message, author, 'edited', revised.kind === 'in-flight');
  }

  private async tooLate(
    binding: Binding,
    message: MessageRef,
    author: string | undefined,
    change: 'edited' | 'deleted',
    maybe: boolean,
  ): Promise<void> {
    if (!author || !(maybe || (await this.deps.claims.wasDelivered(message)))) return;
    if (!(await this.deps.claims.firstChangeTold(message))) return;
    const thread = { team: binding.team, channel: binding.channel, threadTs: binding.threadTs };
    this.deps.feedback.tellPrivately(thread, author, {
      kind: 'too-late',
      change,
      ...(maybe ? { maybe: true } : {}),
      sessionUrl: binding.sessionUrl,
    });
  }
}
