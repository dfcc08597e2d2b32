import type { Clock } from '../lib/clock';
import { replyFields } from '../lib/log-fields';
import type { Logger } from '../lib/logger';
import { AttemptEndings } from './attempt-endings';
import type { ReplyAttribution } from './attribution';
import type { DeliveryEvents } from './delivery-events';
import { DeliveryReports, type Settled } from './delivery-reports';
import type { Reply } from './model/replies';
import type { DevinApi } from './ports/devin';
import type { FeedbackPort } from './ports/feedback';
import type { Lease, Leases } from './ports/leases';
import type { RelayMetrics } from './ports/relay-metrics';
import type { ReplyClaims, ReplyQueue } from './ports/reply-queue';
import { deliverLeaseName } from './ports/store-keys';
import type { Prepared } from './reply-attachments';
import { type Attempt, sendWithRetries } from './send-with-retries';

export type { Settled } from './delivery-reports';

export interface DelivererDeps {
  /** One replica drains a session at a time, through a lease checked before each attempt. */
  leases: Leases;
  queue: ReplyQueue;
  feedback: FeedbackPort;
  devin: Pick<DevinApi, 'sendMessage' | 'listMessages'>;
  /** The words Devin reads for a reply recorded as it arrived from Slack (author and mentions looked up). */
  words: (reply: Reply) => Promise<string>;
  /**
   * Whether a reply recorded as it arrived may go to Devin, now that its author can be looked up (a guest, a bot);
   * a refused one is dropped without a receipt. Asked once, before the first attempt.
   */
  vet?: (reply: Reply) => Promise<boolean>;
  /**
   * Before the first attempt, once its words are known: a reply's files go to Devin, to travel beside its words
   * (`ReplyAttachments`). Asked under the session's lease; `mayUpload` checks it before each upload.
   */
  attach?: (reply: Reply, text: string, mayUpload: () => Promise<boolean>) => Promise<Prepared>;
  clock: Clock;
  log: Logger;
  retryWindowMs: number;
  metrics?: RelayMetrics;
  /** A session's address on Devin's web app, for the notices. */
  sessionUrl: (sessionId: string) => string;
  /** Told when a reply reached Devin or was held (polling uses both). */
  events?: DeliveryEvents;
  /** Replies sent as their author's Devin account (`DEVIN_ACT_AS_SLACK_USER`). */
  attribution?: ReplyAttribution;
  /** What a delivered reply leaves behind (its message reached Devin), taken as it leaves the queue. */
  deliveredMark?: (reply: Reply) => ReplyClaims | undefined;
}

/**
 * Drains each session's queue in order, one session independently of the others. Only one drain per session runs at a
 * time (in this process, and across replicas through a lease in the store). A drain waits for the store and Devin
 * only: what Slack is told goes to the feedback queue, which it never waits on.
 */
export class Deliverer {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private stopping = false;

  private readonly reports: DeliveryReports;
  private readonly endings: AttemptEndings;

  constructor(private readonly deps: DelivererDeps) {
    this.reports = new DeliveryReports(deps);
    this.endings = new AttemptEndings({ ...deps, reports: this.reports });
  }

  /** Starts draining a session's queue (or asks the running drain to look again). */
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
            this.deps.log.error({ session_id: sessionId, err: error }, 'delivery stopped by an error'),
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

  /**
   * Takes a reply back (its Slack message was deleted): `withdrawn` when it had not gone to Devin (its thread's trouble
   * notice counts one less), `in-flight` when a request with it may have reached Devin (it is never sent again),
   * `absent` when no such reply waits.
   */
  async withdraw(sessionId: string, id: string): Promise<'withdrawn' | 'in-flight' | 'absent'> {
    const taken = await this.deps.queue.withdraw(sessionId, id);
    if (taken.kind === 'absent') return 'absent';
    this.reports.logOutcome(taken.reply, 'withdrawn');
    if (taken.kind === 'withdrawn') await this.reports.heldLess(sessionId, taken.reply);
    return taken.kind;
  }

  /** Nobody waits for that reply's outcome any more (it was never recorded). */
  forgetOutcome(replyId: string): void {
    this.reports.forget(replyId);
  }

  /**
   * Starts draining every queue with a reply to send (left by an earlier run, or by a replica that died); resolves
   * once they are started, not delivered, so that neither start-up nor the sweep waits for a session's retries.
   */
  async resumeAll(): Promise<void> {
    const sessions = await this.deps.queue.sessionsToSend();
    for (const sessionId of sessions) void this.kick(sessionId);
  }

  /** Resolves once no drain is running (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /**
   * Shutdown: no new attempt starts; resolves when the drains in flight have ended. Whoever stops the process bounds
   * the wait: an attempt still in flight then is left, its reply recorded as uncertain, so that it is looked for in the
   * session before it is sent again.
   */
  stop(): Promise<void> {
    this.stopping = true;
    return this.idle();
  }

  private async drain(sessionId: string): Promise<void> {
    if (this.stopping) return;
    const drained = await this.deps.leases.with(deliverLeaseName(sessionId), async (lease) => {
      await this.drainOnce(sessionId, lease);
      return true;
    });
    if (!drained) this.deps.log.debug({ session_id: sessionId }, 'another replica is delivering this session');
  }

  private async drainOnce(sessionId: string, lease: Lease): Promise<void> {
    const { queue } = this.deps;
    for (;;) {
      if (this.stopping) return;
      const head = await queue.head(sessionId);
      if (!head) return;
      if (head.withdrawn) {
        // Deleted in Slack while a request with it was out: never sent again.
        await queue.remove(sessionId, head.id);
        continue;
      }
      if (head.state !== 'queued') {
        await this.reports.settle(sessionId, ['queued'], head.state === 'held' ? 'held' : 'failed', head.problem);
        return;
      }
      // Renewed in the background; the store is asked again only when the last renewal is getting old.
      const mayAttempt = async () => !this.stopping && (lease.firm(lease.ttlMs / 2) || (await lease.check()));
      // Its words are written before its first attempt, and again after its Slack message was edited.
      const fresh = head.attempts === 0 || head.text === '';
      const prepared = fresh ? await this.beforeFirstAttempt(head, mayAttempt) : { reply: head };
      if (!prepared) continue;
      const { reply } = prepared;
      let sent = reply;
      const attempt =
        prepared.attempt ??
        (await sendWithRetries(reply, {
          ...this.deps,
          onRetrying: (retrying) => this.reports.receipt(retrying, 'retrying'),
          onRecorded: (recorded) => {
            sent = recorded;
          },
          mayAttempt,
          maySend: () => !this.stopping && lease.firm(lease.ttlMs / 2),
        }));
      if (!(await this.endings.apply(sessionId, sent, attempt))) return;
    }
  }

  /**
   * Writes the words of a reply that arrived from Slack (looked up after Slack had its answer), with its files (and a
   * line for each that could not be attached), and announces them to the session's conversation. Undefined when the message holds nothing for Devin (it is
   * dropped); an attempt's end without an attempt when its files could not be uploaded now (lease lost, key refused).
   */
  private async beforeFirstAttempt(
    reply: Reply,
    mayUpload: () => Promise<boolean>,
  ): Promise<{ reply: Reply; attempt?: Attempt } | undefined> {
    if (reply.draft && this.deps.vet && !(await this.deps.vet(reply))) {
      await this.deps.queue.remove(reply.sessionId, reply.id);
      this.reports.logOutcome(reply, 'refused');
      return undefined;
    }
    let text = reply.text || (await this.deps.words(reply));
    if (!text) {
      this.deps.log.debug(replyFields(reply), 'nothing to relay in a message');
      await this.deps.queue.remove(reply.sessionId, reply.id);
      return undefined;
    }
    let { attachments } = reply;
    if (this.deps.attach) {
      const prepared = await this.deps.attach(reply, text, mayUpload);
      if (prepared.kind !== 'ready') return { reply, attempt: prepared };
      text = prepared.text;
      attachments = prepared.attachments ?? attachments;
    }
    await this.deps.events?.sending(reply.sessionId, text);
    return { reply: { ...reply, text, ...(attachments ? { attachments } : {}) } };
  }
}
