import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { Clock } from './clock';
import type { Deliverer, Settled } from './deliverer';
import type { MessageClaims } from './message-claims';
import { type Outbox, orderAt } from './outbox';
import type { Binding, Reply, SlackPort, ThreadRef } from './types';

export interface ThreadReply {
  eventId?: string;
  thread: ThreadRef;
  ts: string;
  /** The text as Devin will read it, author included. */
  text: string;
}

export interface ResendSummary {
  delivered: number;
  held: number;
  failed: number;
}

export interface RepliesDeps {
  claims: MessageClaims;
  outbox: Outbox;
  deliverer: Deliverer;
  slack: SlackPort;
  clock: Clock;
  log: Logger;
  /** How long `/devin say` waits for an outcome before telling the person the message is queued. */
  sayWaitMs: number;
}

/** Takes replies from Slack (thread messages, `/devin say`, Resend) and hands them to delivery. */
export class Replies {
  constructor(private readonly deps: RepliesDeps) {}

  /** Records a thread reply for its session and starts delivery. False when the message was seen before. */
  async acceptThreadReply(binding: Binding, reply: ThreadReply): Promise<boolean> {
    const identity = {
      team: reply.thread.team,
      channel: reply.thread.channel,
      ts: reply.ts,
      ...(reply.eventId ? { eventId: reply.eventId } : {}),
    };
    const duplicate = () => {
      this.deps.log.debug({ ...identity, sessionId: binding.sessionId }, 'duplicate delivery of a message ignored');
      return false;
    };
    if (await this.deps.claims.seen(identity)) return duplicate();
    const record: Reply = {
      id: `${reply.thread.team}:${reply.thread.channel}:${reply.ts}`,
      sessionId: binding.sessionId,
      text: reply.text,
      order: reply.ts,
      state: 'queued',
      origin: {
        kind: 'thread',
        thread: reply.thread,
        message: { team: reply.thread.team, channel: reply.thread.channel, ts: reply.ts },
        ...(reply.eventId ? { eventId: reply.eventId } : {}),
      },
      receivedAt: this.deps.clock.now(),
      attempts: 0,
    };
    try {
      // Marked seen before delivery starts: a copy arriving later (on this replica or another) finds the reply in
      // the outbox or the mark, under the same lock.
      if (!(await this.deps.outbox.add(record, () => this.deps.claims.seen(identity)))) return duplicate();
      await this.deps.claims.mark(identity);
      await this.startDelivery(record.sessionId);
    } catch (error) {
      await this.deps.slack.postNotice(reply.thread, { kind: 'not-recorded' }).catch(() => undefined);
      throw error;
    }
    this.deps.log.info(
      { sessionId: binding.sessionId, replyId: record.id, chars: record.text.length },
      'reply accepted',
    );
    return true;
  }

  /** Sends a message named by `/devin say` and resolves with how it ended, or `queued` if that takes too long. */
  async say(
    sessionId: string,
    text: string,
    requester: { team: string; userId: string; responseUrl?: string },
  ): Promise<Settled | 'queued'> {
    const now = this.deps.clock.now();
    const record: Reply = {
      id: `command:${randomUUID()}`,
      sessionId,
      text,
      order: orderAt(now),
      state: 'queued',
      origin: { kind: 'command', ...requester },
      receivedAt: now,
      attempts: 0,
    };
    const outcome = this.deps.deliverer.outcomeOf(record.id);
    await this.deps.outbox.add(record);
    await this.startDelivery(record.sessionId);
    let timer: NodeJS.Timeout | undefined;
    const queued = new Promise<'queued'>((resolve) => {
      timer = setTimeout(() => resolve('queued'), this.deps.sayWaitMs);
      timer.unref();
    });
    try {
      return await Promise.race([outcome, queued]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends every held or failed reply of a session again, in order. */
  async resend(sessionId: string): Promise<ResendSummary> {
    const before = await this.deps.outbox.list(sessionId);
    await this.deps.outbox.setStates(sessionId, ['held', 'failed'], 'queued');
    await this.deps.deliverer.kick(sessionId);
    const after = await this.deps.outbox.list(sessionId);
    const { held, failed } = counts(after);
    return { delivered: before.filter((r) => !after.some((a) => a.id === r.id)).length, held, failed };
  }

  async waiting(sessionId: string): Promise<{ total: number; held: number; failed: number }> {
    return counts(await this.deps.outbox.list(sessionId));
  }

  /** A new reply goes behind those already waiting, and gives the held ones another try, in order. */
  private async startDelivery(sessionId: string): Promise<void> {
    await this.deps.outbox.setStates(sessionId, ['held', 'failed'], 'queued');
    void this.deps.deliverer.kick(sessionId);
  }
}

function counts(replies: Reply[]): { total: number; held: number; failed: number } {
  return {
    total: replies.length,
    held: replies.filter((r) => r.state === 'held').length,
    failed: replies.filter((r) => r.state === 'failed').length,
  };
}
