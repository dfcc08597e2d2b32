import { randomUUID } from 'node:crypto';
import type { DevinClient } from '../devin/devin-client';
import { sessionWebUrl } from '../devin/session-ref';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { Clock } from './clock';
import type { Outbox } from './outbox';
import { type Attempt, sendWithRetries } from './send-with-retries';
import type { ThreadNotices } from './thread-notices';
import type { Notice, Receipt, Reply, ReplyState, SlackPort, ThreadRef } from './types';

export type Settled = 'delivered' | 'held' | 'failed' | 'gone' | 'rejected';

export interface DelivererDeps {
  store: Store;
  outbox: Outbox;
  notices: ThreadNotices;
  devin: Pick<DevinClient, 'sendMessage' | 'getSession'>;
  slack: SlackPort;
  clock: Clock;
  log: Logger;
  retryWindowMs: number;
  /** How long one replica may hold a session's delivery lease. */
  leaseMs: number;
  /** Told when a reply reached Devin or was held (polling uses both). */
  events?: DeliveryEvents;
}

export interface DeliveryEvents {
  /** Before a reply's first attempt: its words will show up in the session (and must not be echoed back). */
  sending(sessionId: string, text: string): Promise<void>;
  delivered(sessionId: string): Promise<void>;
  held(sessionId: string): Promise<void>;
}

const threadKey = (t: ThreadRef) => `${t.team}:${t.channel}:${t.threadTs}`;

/**
 * Drains each session's outbox in order, one session independently of the others. Only one drain per session runs
 * at a time (in this process, and across replicas through a lease in the store).
 */
export class Deliverer {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly waiters = new Map<string, (outcome: Settled) => void>();
  private readonly owner = randomUUID();

  constructor(private readonly deps: DelivererDeps) {}

  /** Starts draining a session's outbox (or asks the running drain to look again). */
  kick(sessionId: string): Promise<void> {
    const running = this.running.get(sessionId);
    if (running) {
      this.again.add(sessionId);
      return running;
    }
    const drain = (async () => {
      try {
        do {
          this.again.delete(sessionId);
          await this.drain(sessionId).catch((error: unknown) =>
            this.deps.log.error({ sessionId, err: error }, 'delivery stopped by an error'),
          );
        } while (this.again.has(sessionId));
      } finally {
        // Synchronously after the last look at `again`: a kick from now on starts a new drain.
        this.running.delete(sessionId);
      }
    })();
    this.running.set(sessionId, drain);
    return drain;
  }

  /** Resolves when the reply reaches delivered, held, failed, gone or rejected. */
  outcomeOf(replyId: string): Promise<Settled> {
    return new Promise((resolve) => this.waiters.set(replyId, resolve));
  }

  /** Resumes every outbox left by an earlier run or another replica. */
  async resumeAll(): Promise<void> {
    const sessions = await this.deps.outbox.sessions();
    await Promise.all(sessions.map((sessionId) => this.kick(sessionId)));
  }

  /** Resolves once no drain is running (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private async drain(sessionId: string): Promise<void> {
    const lease = `lease:deliver:${sessionId}`;
    if (!(await this.deps.store.claim(lease, this.owner, this.deps.leaseMs))) {
      this.deps.log.debug({ sessionId }, 'another replica is delivering this session');
      return;
    }
    try {
      await this.drainOnce(sessionId);
    } finally {
      await this.deps.store.release(lease, this.owner);
    }
  }

  private async drainOnce(sessionId: string): Promise<void> {
    for (;;) {
      const replies = await this.deps.outbox.list(sessionId);
      const head = replies[0];
      if (!head) return;
      if (head.state !== 'queued') {
        await this.settle(sessionId, ['queued'], head.state === 'held' ? 'held' : 'failed', head.problem);
        return;
      }
      if (head.attempts === 0) await this.deps.events?.sending(sessionId, head.text);
      const attempt = await sendWithRetries(head, {
        ...this.deps,
        onRetrying: (reply) => this.receipt(reply, 'retrying'),
      });
      if (!(await this.apply(sessionId, head, attempt))) return;
    }
  }

  /** Acts on the end of one reply's attempts; true when the drain may go on with the next reply. */
  private async apply(sessionId: string, head: Reply, attempt: Attempt): Promise<boolean> {
    const { log, outbox } = this.deps;
    const context = { sessionId, replyId: head.id };
    // The attempts changed the stored reply (its receipt, e.g. the retrying hourglass); report on that version.
    const latest = (await outbox.list(sessionId)).find((r) => r.id === head.id) ?? head;
    switch (attempt.kind) {
      case 'delivered':
        await outbox.remove(sessionId, [head.id]);
        log.info({ ...context, attempts: head.attempts + 1 }, 'reply delivered');
        await this.deps.events?.delivered(sessionId);
        await this.report(latest, 'delivered');
        if (head.wasHeld) await this.closeNotices(sessionId, head);
        return true;
      case 'not-running':
        log.info({ ...context, detail: attempt.detail }, 'session not running; replies held');
        await this.settle(sessionId, ['queued'], 'held', attempt.detail);
        await this.deps.events?.held(sessionId);
        return false;
      case 'unknown-session': {
        log.warn(context, 'session no longer exists; its waiting replies cannot be delivered');
        const replies = await outbox.list(sessionId);
        await outbox.remove(
          sessionId,
          replies.map((r) => r.id),
        );
        await Promise.all(replies.map((r) => this.report(r, 'gone')));
        return false;
      }
      case 'unauthorized':
        log.error(
          { ...context, status: attempt.error.status, detail: attempt.error.detail },
          'Devin refused DEVIN_API_KEY; check the key and its permissions',
        );
        await this.settle(sessionId, ['queued'], 'failed', 'misconfigured');
        return false;
      case 'rejected':
        log.error({ ...context, status: attempt.error.status, detail: attempt.error.detail }, 'Devin rejected a reply');
        await outbox.remove(sessionId, [head.id]);
        await this.report({ ...latest, problem: attempt.error.detail ?? attempt.error.message }, 'rejected');
        return true;
      case 'exhausted':
        log.error({ ...context, attempts: attempt.attempts, err: attempt.error.message }, 'delivery retries ran out');
        await this.settle(sessionId, ['queued'], 'failed', describeFailure(attempt));
        return false;
    }
  }

  /** Moves the waiting replies to held or failed, marks each, and opens one notice per thread. */
  private async settle(sessionId: string, from: ReplyState[], to: 'held' | 'failed', problem = ''): Promise<void> {
    const moved = await this.deps.outbox.setStates(sessionId, from, to, problem);
    await Promise.all(
      moved.map(async (reply) => {
        await this.deps.outbox.update(sessionId, reply.id, { wasHeld: true });
        await this.report(reply, to);
      }),
    );
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
      await this.deps.notices.open(thread, troubleNotice(sessionId, to, problem, held.length));
    }
  }

  private async closeNotices(sessionId: string, delivered: Reply): Promise<void> {
    if (delivered.origin.kind !== 'thread') return;
    const thread = delivered.origin.thread;
    const waiting = await this.deps.outbox.list(sessionId);
    const stillHeld = (r: Reply) =>
      r.wasHeld && r.origin.kind === 'thread' && threadKey(r.origin.thread) === threadKey(thread);
    if (waiting.some(stillHeld)) return;
    const count = this.deliveredSinceHold.get(threadKey(thread)) ?? 1;
    this.deliveredSinceHold.delete(threadKey(thread));
    await this.deps.notices.resolve(thread, {
      kind: 'held-delivered',
      sessionId,
      sessionUrl: sessionWebUrl(sessionId),
      count,
    });
  }

  private readonly deliveredSinceHold = new Map<string, number>();

  /** Tells the author how their reply ended: a reaction on their message, or an answer to their command. */
  private async report(reply: Reply, outcome: Settled): Promise<void> {
    this.waiters.get(reply.id)?.(outcome);
    this.waiters.delete(reply.id);
    if (outcome === 'delivered' && reply.wasHeld && reply.origin.kind === 'thread') {
      const key = threadKey(reply.origin.thread);
      this.deliveredSinceHold.set(key, (this.deliveredSinceHold.get(key) ?? 0) + 1);
    }
    const receipt: Receipt = outcome === 'rejected' ? 'failed' : outcome;
    await this.receipt(reply, receipt);
    if (outcome === 'rejected' && reply.origin.kind === 'thread') {
      await this.deps.slack.postNotice(reply.origin.thread, {
        kind: 'rejected',
        sessionId: reply.sessionId,
        detail: reply.problem ?? '',
      });
    }
    if (outcome === 'gone' && reply.origin.kind === 'thread') {
      await this.deps.notices.open(reply.origin.thread, {
        kind: 'gone',
        sessionId: reply.sessionId,
        sessionUrl: sessionWebUrl(reply.sessionId),
      });
    }
  }

  private async receipt(reply: Reply, receipt: Receipt): Promise<void> {
    if (reply.origin.kind !== 'thread' || reply.receipt === receipt) return;
    try {
      await this.deps.slack.setReceipt(reply.origin.message, receipt, reply.receipt);
      await this.deps.outbox.update(reply.sessionId, reply.id, { receipt });
    } catch (error) {
      this.deps.log.warn({ sessionId: reply.sessionId, replyId: reply.id, err: error }, 'could not mark a reply');
    }
  }
}

function troubleNotice(sessionId: string, state: ReplyState, problem: string, held: number): Notice {
  const sessionUrl = sessionWebUrl(sessionId);
  if (state === 'held') return { kind: 'paused', sessionId, sessionUrl, detail: problem, held };
  if (problem === 'misconfigured') return { kind: 'misconfigured', sessionId, sessionUrl, held };
  return { kind: 'failed', sessionId, sessionUrl, reason: problem, held };
}

function describeFailure(attempt: Extract<Attempt, { kind: 'exhausted' }>): string {
  const error = attempt.error;
  const what = 'status' in error ? `HTTP ${error.status}` : error.message;
  return `Devin's API could not be reached after ${attempt.attempts} attempts (${what})`;
}
