import type { Clock } from '../lib/clock';
import { startFields } from '../lib/log-fields';
import type { Logger } from '../lib/logger';
import { type PendingStart, threadOf } from './model/starts';
import type { PendingStarts } from './pending-starts';
import type { AuditPort } from './ports/audit';
import type { StartPort } from './ports/start';
import { afterFailure } from './start-retries';

export interface StartOutcomesDeps {
  pending: Pick<PendingStarts, 'remove' | 'retryAt'>;
  slack: Pick<StartPort, 'failed'>;
  clock: Clock;
  log: Logger;
  /** How long after it was asked for a start that fails for now (5xx, 429, no answer) is retried; then they are told. */
  retryWindowMs: number;
  /** Each session started, and each start that failed, is an audit line. */
  audit?: AuditPort;
}

/**
 * How a start's attempts end: a session started is an audit line; an attempt that failed is tried again later, or,
 * refused or out of retries, told to the person in one sentence, audited, and dropped.
 */
export class StartOutcomes {
  constructor(private readonly deps: StartOutcomesDeps) {}

  /** The session was created. */
  started(start: PendingStart): void {
    this.audited(start, 'done');
  }

  /** Refused, or out of retries: the person is told and the start is dropped; otherwise it is tried again later. */
  async failed(start: PendingStart, error: unknown): Promise<void> {
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
        await this.deps.pending.retryAt(
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
    await this.deps.pending.remove(start.id);
  }
}
