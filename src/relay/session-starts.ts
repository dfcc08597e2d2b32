import { randomUUID } from 'node:crypto';
import { messageFields } from '../lib/log-fields';
import { identityOf } from './message-claims';
import { type PendingStart, type StartCommand, type StartMessage, threadOf } from './model/starts';
import { PendingStarts } from './pending-starts';
import type { AuditPort } from './ports/audit';
import type { Leases } from './ports/leases';
import type { RelayMetrics } from './ports/relay-metrics';
import type { Store } from './ports/store';
import { startLeaseName } from './ports/store-keys';
import type { StartAllowance, StartLimits } from './start-limits';
import { StartOutcomes } from './start-outcomes';
import { StartRun, type StartRunDeps } from './start-run';

/** How many pending starts one sweep carries on with at once. */
const BATCH = 20;

/** What starts need: what one start's run needs (`StartRunDeps`), the store its records live in, and its limits. */
export interface SessionStartsDeps extends Omit<StartRunDeps, 'pending' | 'outcomes'> {
  store: Store;
  /** One replica carries out a start at a time. */
  leases: Leases;
  metrics?: RelayMetrics;
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
  private readonly run: StartRun;
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(private readonly deps: SessionStartsDeps) {
    this.pending = new PendingStarts(deps.store);
    const outcomes = new StartOutcomes({ ...deps, pending: this.pending });
    this.run = new StartRun({ ...deps, pending: this.pending, outcomes });
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
      .with(startLeaseName(id), (lease) => this.run.carryOut(id, lease, () => this.stopping))
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
}
