import type { Clock } from '../lib/clock';
import { replyFields, threadFields } from '../lib/log-fields';
import type { Logger } from '../lib/logger';
import type { Notice } from './model/notices';
import type { Receipt, Reply, ReplyState } from './model/replies';
import type { ThreadRef } from './model/threads';
import type { FeedbackPort } from './ports/feedback';
import type { RelayMetrics } from './ports/relay-metrics';
import type { ReplyQueue } from './ports/reply-queue';

export type Settled = 'delivered' | 'held' | 'failed' | 'gone' | 'rejected';

/**
 * How a reply's relay ended: settled, dropped before any attempt because its author may not steer (`refused`), or
 * taken back because its Slack message was deleted (`withdrawn`).
 */
export type Outcome = Settled | 'refused' | 'withdrawn';

export interface DeliveryReportsDeps {
  queue: ReplyQueue;
  feedback: FeedbackPort;
  clock: Clock;
  metrics?: RelayMetrics;
  log: Logger;
  /** A session's address on Devin's web app, for the notices. */
  sessionUrl: (sessionId: string) => string;
}

const threadKey = (t: ThreadRef) => `${t.team}:${t.channel}:${t.threadTs}`;
const RECEIPTS: Receipt[] = ['delivered', 'retrying', 'held', 'failed', 'gone', 'refused'];

/**
 * How the people in Slack learn what happened to their replies: receipt reactions, one notice per thread per streak
 * of trouble (closed when the held replies go out), and the outcome for whoever waits on a `/devin say`. Everything
 * Slack is told is handed to the feedback queue, which never keeps delivery waiting.
 */
export class DeliveryReports {
  private readonly waiters = new Map<string, (outcome: Settled) => void>();
  private readonly deliveredSinceHold = new Map<string, number>();
  private readonly startedAt: number;

  constructor(private readonly deps: DeliveryReportsDeps) {
    this.startedAt = deps.clock.now();
  }

  /** Resolves when the reply reaches delivered, held, failed, gone or rejected. */
  outcomeOf(replyId: string): Promise<Settled> {
    return new Promise((resolve) => this.waiters.set(replyId, resolve));
  }

  forget(replyId: string): void {
    this.waiters.delete(replyId);
  }

  /** Moves the waiting replies to held or failed, marks each, and opens one notice per thread. */
  async settle(sessionId: string, from: ReplyState[], to: 'held' | 'failed', problem = ''): Promise<void> {
    const moved = await this.deps.queue.setStates(sessionId, from, to, problem);
    for (const reply of moved) this.report(reply, to);
    if (!moved.some((r) => r.origin.kind === 'thread')) return;
    const waiting = await this.deps.queue.list(sessionId);
    const threads = new Map<string, ThreadRef>();
    for (const reply of moved)
      if (reply.origin.kind === 'thread') threads.set(threadKey(reply.origin.thread), reply.origin.thread);
    for (const [key, thread] of threads) {
      const held = waiting.filter((r) => r.origin.kind === 'thread' && threadKey(r.origin.thread) === key).length;
      this.deps.feedback.openNotice(
        thread,
        troubleNotice(sessionId, this.deps.sessionUrl(sessionId), to, problem, held),
      );
    }
  }

  /** After a once-held reply went out: closes its thread's notice when nothing held is left there. */
  async closeNotices(sessionId: string, delivered: Reply): Promise<void> {
    if (delivered.origin.kind !== 'thread') return;
    const thread = delivered.origin.thread;
    const key = threadKey(thread);
    const waiting = await this.deps.queue.list(sessionId);
    if (waiting.some((r) => r.wasHeld && r.origin.kind === 'thread' && threadKey(r.origin.thread) === key)) return;
    const count = this.deliveredSinceHold.get(key) ?? 1;
    this.deliveredSinceHold.delete(key);
    this.deps.feedback.resolveNotice(thread, {
      kind: 'held-delivered',
      sessionId,
      sessionUrl: this.deps.sessionUrl(sessionId),
      count,
    });
  }

  /**
   * A held or failed reply was taken back (its Slack message deleted): its thread's trouble notice counts one less, or
   * says that nothing waits any more.
   */
  async heldLess(sessionId: string, withdrawn: Reply): Promise<void> {
    if (withdrawn.origin.kind !== 'thread' || !withdrawn.wasHeld) return;
    const { thread } = withdrawn.origin;
    const key = threadKey(thread);
    const waiting = await this.deps.queue.list(sessionId);
    const held = waiting.filter((r) => r.origin.kind === 'thread' && threadKey(r.origin.thread) === key).length;
    if (held > 0) {
      const state = withdrawn.state === 'failed' ? 'failed' : 'held';
      this.deps.feedback.openNotice(
        thread,
        troubleNotice(sessionId, this.deps.sessionUrl(sessionId), state, withdrawn.problem ?? '', held),
      );
      return;
    }
    this.deps.feedback.resolveNotice(thread, { kind: 'held-cleared', sessionUrl: this.deps.sessionUrl(sessionId) });
  }

  /** Tells the author how their reply ended: a reaction on their message, or an answer to their command. */
  report(reply: Reply, outcome: Settled): void {
    this.logOutcome(reply, outcome);
    this.waiters.get(reply.id)?.(outcome);
    this.waiters.delete(reply.id);
    if (reply.origin.kind !== 'thread') return;
    const { thread } = reply.origin;
    if (outcome === 'delivered' && reply.wasHeld) {
      const key = threadKey(thread);
      this.deliveredSinceHold.set(key, (this.deliveredSinceHold.get(key) ?? 0) + 1);
    }
    this.receipt(reply, outcome === 'rejected' ? 'failed' : outcome);
    const { sessionId } = reply;
    if (outcome === 'rejected')
      this.deps.feedback.tell(thread, {
        kind: 'rejected',
        sessionId,
        sessionUrl: this.deps.sessionUrl(sessionId),
        detail: reply.problem ?? '',
      });
    if (outcome === 'gone')
      this.deps.feedback.openNotice(thread, { kind: 'gone', sessionId, sessionUrl: this.deps.sessionUrl(sessionId) });
  }

  /** Counts a reply's outcome, and writes its one info line: where it came from, its session, how many attempts it took, how it ended. */
  logOutcome(reply: Reply, outcome: Outcome): void {
    this.deps.metrics?.repliesRelayed.inc({ outcome });
    if (outcome === 'delivered') {
      this.deps.metrics?.deliveryLag.observe(Math.max(0, this.deps.clock.now() - reply.receivedAt) / 1000);
    }
    const { origin } = reply;
    const where = origin.kind === 'thread' ? threadFields(origin.thread) : { team_id: origin.team };
    this.deps.log.info({ ...where, ...replyFields(reply), attempts: reply.attempts, outcome }, `reply ${outcome}`);
  }

  /**
   * Shows a receipt on the reply's Slack message. A reply recorded before this process started may still show what an
   * earlier run set, which the feedback queue does not remember: those receipts are cleared.
   */
  receipt(reply: Reply, receipt: Receipt): void {
    if (reply.origin.kind !== 'thread') return;
    const earlierRun = reply.receivedAt < this.startedAt && (reply.attempts > 0 || reply.wasHeld);
    this.deps.feedback.receipt(
      reply.origin.message,
      receipt,
      earlierRun ? RECEIPTS.filter((r) => r !== receipt) : undefined,
    );
  }
}

function troubleNotice(
  sessionId: string,
  sessionUrl: string,
  state: ReplyState,
  problem: string,
  held: number,
): Notice {
  if (state === 'held') return { kind: 'paused', sessionId, sessionUrl, detail: problem, held };
  if (problem === 'misconfigured') return { kind: 'misconfigured', sessionId, sessionUrl, held };
  if (problem.startsWith('misconfigured:')) {
    return { kind: 'misconfigured', sessionId, sessionUrl, held, permission: problem.slice('misconfigured:'.length) };
  }
  return { kind: 'failed', sessionId, sessionUrl, reason: problem, held };
}
