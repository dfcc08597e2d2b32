import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { AuditPort } from '../ops/audit-trail';
import type { Metrics } from '../ops/metrics';
import type { Lease, Leases } from '../store/leases';
import { attachFiles, notAttachedNotice } from './attach-files';
import type { Acting, Attribution } from './attribution';
import { messageFields, startFields } from './log-fields';
import type { MessageClaims, SlackMessageIdentity } from './message-claims';
import { type PendingStart, PendingStarts, type StartCommand, type StartMessage, threadOf } from './pending-starts';
import type { CreatedSession, DevinApi } from './ports/devin';
import { DevinApiError } from './ports/devin-errors';
import type { FeedbackPort } from './ports/feedback';
import type { FilesToDevin } from './ports/files';
import type { StartPort } from './ports/start';
import type { Store } from './ports/store';
import { startLeaseName } from './ports/store-keys';
import type { Sessions } from './sessions';
import type { StartAllowance, StartLimits } from './start-limits';
import { afterFailure } from './start-retries';

/** How many pending starts one sweep carries on with at once. */
const BATCH = 20;

export interface SessionStartsDeps {
  store: Store;
  /** One replica carries out a start at a time. */
  leases: Leases;
  devin: Pick<DevinApi, 'createSession'>;
  sessions: Pick<Sessions, 'bind' | 'forThread' | 'showStatusIn' | 'expectPrompt'>;
  claims: MessageClaims;
  slack: StartPort;
  clock: Clock;
  log: Logger;
  /** How long after it was asked for a start that fails for now (5xx, 429, no answer) is retried; then they are told. */
  retryWindowMs: number;
  metrics?: Metrics;
  /** The files of a message start, uploaded to Devin before the session is created. */
  files?: FilesToDevin;
  /** Where the thread is told of a file that could not be attached (never awaited). */
  feedback?: Pick<FeedbackPort, 'tell'>;
  /** `max_acu_limit` of each session started (`DEVIN_MAX_ACU_LIMIT`). */
  maxAcuLimit?: number;
  /**
   * The session's message list shows the prompt as a person's message (API v3; v1 marks it as the initial one): it is
   * expected as an echo, so that it is not posted back into the thread.
   */
  promptListedAsMessage?: boolean;
  /** Sessions created as the person who asked (`DEVIN_ACT_AS_SLACK_USER`). */
  attribution?: Attribution;
  /** Each session started, and each start that failed, is an audit line. */
  audit?: AuditPort;
  /** How many starts one person and one workspace may ask for in an hour (unset: no limit). */
  limits?: Pick<StartLimits, 'take'>;
}

/**
 * Starting sessions, so that a crash never loses a request nor doubles a session. A request is recorded before anything
 * is attempted; then, under a lease, its prompt is built and saved, the session is created with `idempotent: true` (a
 * retry sends the saved prompt, so Devin returns the session it may already have made), its id is saved, the thread is
 * bound unless it already is, the person is answered, and only then is the record removed. Whatever was interrupted
 * is carried on at start-up and by the sweep.
 */
export class SessionStarts {
  private readonly pending: PendingStarts;
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(private readonly deps: SessionStartsDeps) {
    this.pending = new PendingStarts(deps.store);
  }

  /**
   * Records a message's start and takes its claims, then starts it without waiting; Slack's answer waits for the
   * record and the claims only. A store failure throws, so Slack's redelivery records it then.
   *
   * Deduplication without a transaction across keys (this works on any store): the record comes first, the claims
   * second. A copy of the message that finds a claim held was taken before; one that finds the record (written under
   * the start's lease, never over an existing one) is already on its way. A crash between the two leaves a record
   * without claims, which the redelivery or the resumed start takes. The reverse order would leave, after a crash, a
   * claim with nothing behind it, indistinguishable from a start that ended without a session (refused, or no task),
   * and the message would be lost or started twice.
   *
   * A start over the person's or the workspace's hourly limit is not recorded: the allowance says until when.
   */
  async acceptMessage(message: StartMessage): Promise<StartAllowance> {
    const identity = identityOf(message);
    const duplicate = await this.deps.claims.duplicateOf(identity);
    if (duplicate) {
      this.deps.metrics?.repliesDeduplicated.inc({ kind: duplicate });
      this.deps.log.debug(messageFields(identity), 'duplicate delivery of a start ignored');
      return { ok: true };
    }
    const start: PendingStart = {
      id: `${message.team}:${message.channel}:${message.ts}`,
      ...message,
      receivedAt: this.deps.clock.now(),
      attempts: 0,
    };
    const allowance = await this.allowance(start);
    if (!allowance.ok) return allowance;
    const recorded = await this.record(start);
    if (recorded === 'busy') return allowance;
    try {
      await this.deps.claims.take(identity);
    } finally {
      if (recorded === 'recorded') void this.kick(start.id);
    }
    return allowance;
  }

  /** Records `/devin new` before its root message is posted, then starts it without waiting (within the limits). */
  async acceptCommand(command: StartCommand): Promise<StartAllowance> {
    const now = this.deps.clock.now();
    const start: PendingStart = {
      id: `command:${randomUUID()}`,
      source: 'command',
      ...command,
      receivedAt: now,
      attempts: 0,
    };
    const allowance = await this.allowance(start);
    if (!allowance.ok) return allowance;
    await this.pending.add(start, now);
    void this.kick(start.id);
    return allowance;
  }

  /** Within the hourly limits, or not. */
  private async allowance(start: PendingStart): Promise<StartAllowance> {
    const asked = { ...start, thread: threadOf(start) };
    return (await this.deps.limits?.take(asked, this.deps.clock.now())) ?? { ok: true };
  }

  /** Start-up: carries on with every pending start, due or not (an earlier run or a dead replica left them). */
  resumeAll(): Promise<void> {
    return this.resume(Number.MAX_SAFE_INTEGER);
  }

  /** The sweep: carries on with the pending starts whose next attempt is due. */
  resumeDue(): Promise<void> {
    return this.resume(this.deps.clock.now());
  }

  /** Resolves once no start is being carried out (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /** Shutdown: no new attempt begins; resolves when those in flight have ended (each request is bounded). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  /** Carries out a pending start (or joins the run already going in this process). */
  kick(id: string): Promise<void> {
    const running = this.running.get(id);
    if (running) return running;
    if (this.stopping) return Promise.resolve();
    const run = this.deps.leases
      .with(startLeaseName(id), (lease) => this.carryOut(id, lease))
      .then((done) => {
        if (!done) this.deps.log.debug({ start_id: id }, 'another replica is starting this session');
      })
      .catch((error: unknown) =>
        this.deps.log.error({ start_id: id, err: error }, 'a session start stopped by an error; the sweep resumes it'),
      )
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  /** Writes the record unless it exists; `busy` while someone holds the start's lease (it is being recorded or run). */
  private async record(start: PendingStart): Promise<'recorded' | 'pending' | 'busy'> {
    const recorded = await this.deps.leases.with(startLeaseName(start.id), async () => {
      if (await this.pending.get(start.id)) return 'pending' as const;
      await this.pending.add(start, this.deps.clock.now());
      return 'recorded' as const;
    });
    return recorded ?? 'busy';
  }

  private async resume(at: number): Promise<void> {
    const ids = await this.pending.due(at, BATCH);
    // Started, not awaited: start-up and the sweep do not wait for Devin.
    for (const id of ids) void this.kick(id);
  }

  private async carryOut(id: string, lease: Lease): Promise<true> {
    let current = await this.pending.get(id);
    if (!current) {
      await this.pending.remove(id);
      return true;
    }
    const progress = async (change: Partial<PendingStart>) => {
      current = await this.pending.save({ ...(current as PendingStart), ...change });
      return current;
    };
    try {
      await this.advance(current, lease, progress);
    } catch (error) {
      await this.failedAttempt(current, error);
    }
    return true;
  }

  /** Every step is skipped when an earlier run did it; each result is saved before the next step. */
  private async advance(
    first: PendingStart,
    lease: Lease,
    progress: (change: Partial<PendingStart>) => Promise<PendingStart>,
  ): Promise<void> {
    const { slack, sessions, log } = this.deps;
    let start = first;
    await this.takeClaims(start);
    if (!start.sessionId && !(await slack.vetAuthor(start))) return this.pending.remove(start.id);
    if (start.source === 'command' && !start.rootTs) {
      if (!(await this.mayGoOn(lease))) return;
      const rootTs = await slack.postRoot(start);
      if (!rootTs) return this.pending.remove(start.id);
      start = await progress({ rootTs });
    }
    if (start.prompt === undefined) {
      const words = await slack.prompt(start);
      if (!words) {
        await slack.askForTask(start);
        return this.pending.remove(start.id);
      }
      const prompt = await this.withFiles(start, words, lease, progress);
      if (prompt === undefined) return;
      start = await progress({ prompt });
    }
    if (!start.sessionId || !start.sessionUrl) {
      // Fencing: the lease is firmly this run's as the request leaves (the create is idempotent all the same).
      if (!(await this.mayGoOn(lease)) || !lease.firm(lease.ttlMs / 2)) return;
      const acting = await this.deps.attribution?.actingFor(start.user);
      const { created, actedAs } = await this.create(start, acting);
      // Before the id is saved: a start resumed after a crash here gets the same session, and expects it again.
      if (this.deps.promptListedAsMessage) await sessions.expectPrompt(created.sessionId, start.prompt ?? '');
      start = await progress({
        sessionId: created.sessionId,
        sessionUrl: created.url,
        ...(actedAs && 'fallback' in actedAs ? { actedAs } : {}),
      });
      log.info(
        {
          team_id: start.team,
          channel_id: start.channel,
          start_id: start.id,
          session_id: created.sessionId,
          new_session: created.isNewSession,
          user_id: start.user,
        },
        'session started',
      );
      this.audited(start, 'done');
    }
    const thread = threadOf(start);
    const { sessionId, sessionUrl } = start;
    if (!thread || !sessionId || !sessionUrl) return;
    const binding = await sessions.forThread(thread);
    if (binding?.sessionId !== sessionId) await sessions.bind(sessionId, sessionUrl, thread, start.user);
    if (binding?.sessionId !== sessionId || binding.statusTs === undefined) {
      if (!(await lease.check())) return;
      const shown = await slack.started(start, { sessionId, sessionUrl });
      if (shown) await sessions.showStatusIn(thread, shown.statusTs, shown.statusHeader);
      if (start.actedAs) this.deps.attribution?.note(thread, start.user, start.actedAs);
    }
    await slack.confirm(start, { sessionId, sessionUrl });
    await this.pending.remove(start.id);
  }

  /**
   * The prompt with the lines of the message's files: each uploaded to Devin once (its outcome saved with the start as
   * soon as it is known, so that a resumed start does not upload it again). Undefined when the lease was lost.
   */
  private async withFiles(
    start: PendingStart,
    words: string,
    lease: Lease,
    progress: (change: Partial<PendingStart>) => Promise<PendingStart>,
  ): Promise<string | undefined> {
    const { files, feedback } = this.deps;
    if (!files || !start.files?.length) return words;
    const run = await attachFiles(
      start.files,
      start.attachments,
      { ...this.deps, files },
      {
        mayUpload: () => this.mayGoOn(lease),
        record: async (attachments) => {
          await progress({ attachments });
        },
        context: startFields(start),
      },
    );
    // Refused like a create would be: the person is told, and the start is dropped.
    if (run.kind === 'unauthorized') throw run.error;
    if (run.kind === 'stopped') return undefined;
    const thread = threadOf(start);
    const notice = notAttachedNotice(run);
    if (notice && thread && feedback) feedback.tell(thread, notice);
    return files.withFiles(words, run.outcomes);
  }

  /**
   * Creates the session (idempotent: a retry returns the session an unanswered create made), as the person when they
   * have a Devin account; when Devin refuses that (403), as the service user, at once.
   */
  private async create(
    start: PendingStart,
    acting: Acting | undefined,
  ): Promise<{ created: CreatedSession; actedAs: Acting | undefined }> {
    const options = {
      idempotent: true,
      ...(this.deps.maxAcuLimit ? { maxAcuLimit: this.deps.maxAcuLimit } : {}),
    };
    const asUserId = acting && 'asUserId' in acting ? acting.asUserId : undefined;
    if (!asUserId)
      return { created: await this.deps.devin.createSession(start.prompt ?? '', options), actedAs: acting };
    try {
      return {
        created: await this.deps.devin.createSession(start.prompt ?? '', { ...options, asUserId }),
        actedAs: acting,
      };
    } catch (error) {
      // The create is idempotent: should another replica have taken over meanwhile, both get the same session.
      if (!(error instanceof DevinApiError && error.status === 403)) throw error;
      const fallback = this.deps.attribution?.refused(start.user, error);
      return { created: await this.deps.devin.createSession(start.prompt ?? '', options), actedAs: fallback };
    }
  }

  private async mayGoOn(lease: Lease): Promise<boolean> {
    return !this.stopping && (await lease.check());
  }

  /** A message start holds its claims before its thread is bound, whichever run took them. */
  private async takeClaims(start: PendingStart): Promise<void> {
    if (start.source !== 'command' && start.ts) await this.deps.claims.take(identityOf({ ...start, ts: start.ts }));
  }

  /** Refused, or out of retries: the person is told and the start is dropped; otherwise it is tried again later. */
  private async failedAttempt(start: PendingStart, error: unknown): Promise<void> {
    const { clock, log } = this.deps;
    const context = startFields(start);
    const next = afterFailure(start, error, {
      now: clock.now(),
      random: clock.random(),
      retryWindowMs: this.deps.retryWindowMs,
    });
    switch (next.kind) {
      case 'refused':
        log.error({ ...context, err: error }, 'Devin refused to start a session');
        return this.giveUp(start, next.reason);
      case 'give-up':
        log.error({ ...context, attempts: next.attempts, err: error }, 'could not start a session; retries ran out');
        return this.giveUp(start, next.reason);
      case 'retry':
        log.warn(
          { ...context, attempts: next.attempts, delay_ms: next.delayMs, err: error },
          'could not start a session yet; retrying',
        );
        await this.pending.retryAt(
          { ...start, attempts: next.attempts, problem: next.problem },
          clock.now() + next.delayMs,
        );
    }
  }

  private audited(start: PendingStart, outcome: 'done' | 'failed'): void {
    this.deps.audit?.record({
      action: 'start',
      outcome,
      user_id: start.user,
      team_id: start.team,
      channel_id: start.channel,
      thread_ts: threadOf(start)?.threadTs,
      session_id: start.sessionId,
    });
  }

  private async giveUp(start: PendingStart, reason: string | undefined): Promise<void> {
    this.audited(start, 'failed');
    await this.deps.slack
      .failed(start, reason)
      .catch((error: unknown) =>
        this.deps.log.warn({ start_id: start.id, err: error }, 'could not tell the person that no session was started'),
      );
    await this.pending.remove(start.id);
  }
}

function identityOf(message: { team: string; channel: string; ts: string; eventId?: string }): SlackMessageIdentity {
  const { team, channel, ts } = message;
  return { team, channel, ts, ...(message.eventId ? { eventId: message.eventId } : {}) };
}
