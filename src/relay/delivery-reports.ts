import { sessionWebUrl } from '../devin/session-ref';
import type { Logger } from '../logger';
import type { Outbox } from './outbox';
import type { ThreadNotices } from './thread-notices';
import type { Notice, Receipt, Reply, ReplyState, SlackPort, ThreadRef } from './types';

export type Settled = 'delivered' | 'held' | 'failed' | 'gone' | 'rejected';

export interface DeliveryReportsDeps {
  outbox: Outbox;
  notices: ThreadNotices;
  slack: SlackPort;
  log: Logger;
}

const threadKey = (t: ThreadRef) => `${t.team}:${t.channel}:${t.threadTs}`;

/**
 * How the people in Slack learn what happened to their replies: receipt reactions, one notice per thread per streak
 * of trouble (closed when the held replies go out), and the outcome for whoever waits on a `/devin say`.
 */
export class DeliveryReports {
  private readonly waiters = new Map<string, (outcome: Settled) => void>();
  private readonly deliveredSinceHold = new Map<string, number>();

  constructor(private readonly deps: DeliveryReportsDeps) {}

  /** Resolves when the reply reaches delivered, held, failed, gone or rejected. */
  outcomeOf(replyId: string): Promise<Settled> {
    return new Promise((resolve) => this.waiters.set(replyId, resolve));
  }

  /** Moves the waiting replies to held or failed, marks each, and opens one notice per thread. */
  async settle(sessionId: string, from: ReplyState[], to: 'held' | 'failed', problem = ''): Promise<void> {
    const moved = await this.deps.outbox.setStates(sessionId, from, to, problem);
    await Promise.all(moved.map((reply) => this.report(reply, to)));
    const waiting = await this.deps.outbox.list(sessionId);
    const threads = new Map<string, ThreadRef>();
    for (const reply of moved) {
      const thread = reply.origin.kind === 'thread' ? reply.origin.thread : undefined;
      if (thread) threads.set(threadKey(thread), thread);
    }
    for (const thread of threads.values()) {
      const held = waiting.filter(
        (r) => r.origin.kind === 'thread' && threadKey(r.origin.thread) === threadKey(thread),
      );
      await this.tell(sessionId, () =>
        this.deps.notices.open(thread, troubleNotice(sessionId, to, problem, held.length)),
      );
    }
  }

  async closeNotices(sessionId: string, delivered: Reply): Promise<void> {
    if (delivered.origin.kind !== 'thread') return;
    const thread = delivered.origin.thread;
    const waiting = await this.deps.outbox.list(sessionId);
    const stillHeld = (r: Reply) =>
      r.wasHeld && r.origin.kind === 'thread' && threadKey(r.origin.thread) === threadKey(thread);
    if (waiting.some(stillHeld)) return;
    const count = this.deliveredSinceHold.get(threadKey(thread)) ?? 1;
    this.deliveredSinceHold.delete(threadKey(thread));
    const notice = { kind: 'held-delivered', sessionId, sessionUrl: sessionWebUrl(sessionId), count } as const;
    await this.tell(sessionId, () => this.deps.notices.resolve(thread, notice));
  }

  /** Tells the author how their reply ended: a reaction on their message, or an answer to their command. */
  async report(reply: Reply, outcome: Settled): Promise<void> {
    this.waiters.get(reply.id)?.(outcome);
    this.waiters.delete(reply.id);
    if (outcome === 'delivered' && reply.wasHeld && reply.origin.kind === 'thread') {
      const key = threadKey(reply.origin.thread);
      this.deliveredSinceHold.set(key, (this.deliveredSinceHold.get(key) ?? 0) + 1);
    }
    const receipt: Receipt = outcome === 'rejected' ? 'failed' : outcome;
    await this.receipt(reply, receipt);
    if (reply.origin.kind !== 'thread') return;
    const { thread } = reply.origin;
    const { sessionId } = reply;
    if (outcome === 'rejected') {
      const notice = { kind: 'rejected', sessionId, detail: reply.problem ?? '' } as const;
      await this.tell(sessionId, () => this.deps.slack.postNotice(thread, notice));
    }
    if (outcome === 'gone') {
      const notice = { kind: 'gone', sessionId, sessionUrl: sessionWebUrl(sessionId) } as const;
      await this.tell(sessionId, () => this.deps.notices.open(thread, notice));
    }
  }

  /** Sets a reply's receipt reaction; resolves with the receipt it now shows. */
  async receipt(reply: Reply, receipt: Receipt): Promise<Receipt | undefined> {
    if (reply.origin.kind !== 'thread' || reply.receipt === receipt) return reply.receipt;
    try {
      await this.deps.slack.setReceipt(reply.origin.message, receipt, reply.receipt);
      await this.deps.outbox.update(reply.sessionId, reply.id, { receipt });
      return receipt;
    } catch (error) {
      this.deps.log.warn({ sessionId: reply.sessionId, replyId: reply.id, err: error }, 'could not mark a reply');
      return reply.receipt;
    }
  }

  /** Posts or updates a notice; a failure is logged and does not keep the other replies from being reported. */
  private async tell(sessionId: string, post: () => Promise<unknown>): Promise<void> {
    try {
      await post();
    } catch (error) {
      this.deps.log.error({ sessionId, err: error }, 'could not tell the thread how its replies ended');
    }
  }
}

function troubleNotice(sessionId: string, state: ReplyState, problem: string, held: number): Notice {
  const sessionUrl = sessionWebUrl(sessionId);
  if (state === 'held') return { kind: 'paused', sessionId, sessionUrl, detail: problem, held };
  if (problem === 'misconfigured') return { kind: 'misconfigured', sessionId, sessionUrl, held };
  return { kind: 'failed', sessionId, sessionUrl, reason: problem, held };
}
