import { randomUUID } from 'node:crypto';
import type { DevinClient } from '../devin/devin-client';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { Clock } from './clock';
import { DeliveryReports, type Settled } from './delivery-reports';
import type { MessageClaims } from './message-claims';
import type { Outbox } from './outbox';
import { type Attempt, sendWithRetries } from './send-with-retries';
import type { ThreadNotices } from './thread-notices';
import type { Reply, SlackPort } from './types';

export type { Settled } from './delivery-reports';

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
  claims?: MessageClaims;
}

export interface DeliveryEvents {
  /** Before a reply's first attempt: its words will show up in the session (and must not be echoed back). */
  sending(sessionId: string, text: string): Promise<void>;
  delivered(sessionId: string): Promise<void>;
  held(sessionId: string): Promise<void>;
}

/**
 * Drains each session's outbox in order, one session independently of the others. Only one drain per session runs
 * at a time (in this process, and across replicas through a lease in the store).
 */
export class Deliverer {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly owner = randomUUID();

  private readonly reports: DeliveryReports;

  constructor(private readonly deps: DelivererDeps) {
    this.reports = new DeliveryReports(deps);
  }

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
    return this.reports.outcomeOf(replyId);
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
        await this.reports.settle(sessionId, ['queued'], head.state === 'held' ? 'held' : 'failed', head.problem);
        return;
      }
      if (head.attempts === 0) await this.beforeFirstAttempt(head);
      let receipt = head.receipt;
      const attempt = await sendWithRetries(head, {
        ...this.deps,
        onRetrying: async (reply) => {
          receipt = await this.reports.receipt(reply, 'retrying');
        },
      });
      const shown = receipt ? { ...head, receipt } : head;
      if (!(await this.apply(sessionId, shown, attempt))) return;
    }
  }

  /**
   * Marks the Slack message seen (again: after a crash between recording and marking, a redelivery must not bring it
   * back once it is delivered) and announces the words about to reach the session.
   */
  private async beforeFirstAttempt(reply: Reply): Promise<void> {
    const { origin } = reply;
    if (origin.kind === 'thread') {
      const { team, channel } = origin.thread;
      await this.deps.claims?.mark({
        team,
        channel,
        ts: origin.message.ts,
        ...(origin.eventId ? { eventId: origin.eventId } : {}),
      });
    }
    await this.deps.events?.sending(reply.sessionId, reply.text);
  }

  /** Acts on the end of one reply's attempts (`head` as it now shows); true when the drain may go on. */
  private async apply(sessionId: string, head: Reply, attempt: Attempt): Promise<boolean> {
    const { log, outbox } = this.deps;
    const context = { sessionId, replyId: head.id };
    switch (attempt.kind) {
      case 'delivered':
        await outbox.remove(sessionId, [head.id]);
        log.info({ ...context, attempts: head.attempts + 1 }, 'reply delivered');
        await this.deps.events?.delivered(sessionId);
        await this.reports.report(head, 'delivered');
        if (head.wasHeld) await this.reports.closeNotices(sessionId, head);
        return true;
      case 'not-running':
        log.info({ ...context, detail: attempt.detail }, 'session not running; replies held');
        await this.reports.settle(sessionId, ['queued'], 'held', attempt.detail);
        await this.deps.events?.held(sessionId);
        return false;
      case 'unknown-session': {
        log.warn(context, 'session no longer exists; its waiting replies cannot be delivered');
        const replies = await outbox.list(sessionId);
        await outbox.remove(
          sessionId,
          replies.map((r) => r.id),
        );
        await Promise.all(replies.map((r) => this.reports.report(r, 'gone')));
        return false;
      }
      case 'unauthorized':
        log.error(
          { ...context, status: attempt.error.status, detail: attempt.error.detail },
          'Devin refused DEVIN_API_KEY; check the key and its permissions',
        );
        await this.reports.settle(sessionId, ['queued'], 'failed', 'misconfigured');
        return false;
      case 'rejected':
        log.error({ ...context, status: attempt.error.status, detail: attempt.error.detail }, 'Devin rejected a reply');
        await outbox.remove(sessionId, [head.id]);
        await this.reports.report({ ...head, problem: attempt.error.detail ?? attempt.error.message }, 'rejected');
        return true;
      case 'exhausted':
        log.error({ ...context, attempts: attempt.attempts, err: attempt.error.message }, 'delivery retries ran out');
        await this.reports.settle(sessionId, ['queued'], 'failed', describeFailure(attempt));
        return false;
    }
  }
}

function describeFailure(attempt: Extract<Attempt, { kind: 'exhausted' }>): string {
  const error = attempt.error;
  const what = 'status' in error ? `HTTP ${error.status}` : error.message;
  return `Devin's API could not be reached after ${attempt.attempts} attempts (${what})`;
}
