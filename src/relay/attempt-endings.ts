import { replyFields } from '../lib/log-fields';
import type { Logger } from '../lib/logger';
import type { DeliveryEvents } from './delivery-events';
import type { DeliveryReports } from './delivery-reports';
import type { Reply } from './model/replies';
import type { ReplyClaims, ReplyQueue } from './ports/reply-queue';
import type { Attempt } from './send-with-retries';

export interface AttemptEndingsDeps {
  queue: ReplyQueue;
  log: Logger;
  reports: DeliveryReports;
  /** Told when a reply reached Devin or was held (polling uses both). */
  events?: DeliveryEvents;
  /** What a delivered reply leaves behind (its message reached Devin), taken as it leaves the queue. */
  deliveredMark?: (reply: Reply) => ReplyClaims | undefined;
}

/**
 * What a drain does with the end of one reply's attempts: a delivered reply leaves the queue and its people hear so;
 * a session that cannot take it holds it and those behind it; a refused key or retries run out fail them; a reply
 * Devin rejected is dropped on its own; an unknown session takes all of its replies with it.
 */
export class AttemptEndings {
  constructor(private readonly deps: AttemptEndingsDeps) {}

  /** Acts on the end of one reply's attempts; true when the drain may go on. */
  async apply(sessionId: string, head: Reply, attempt: Attempt): Promise<boolean> {
    const { log, queue } = this.deps;
    const context = replyFields(head);
    switch (attempt.kind) {
      case 'stopped':
        // The reply stays as it is: whoever holds the lease next (this process or another) picks it up.
        log.info({ ...context, detail: attempt.detail }, 'delivery stopped before an attempt');
        return false;
      case 'changed':
        // Deleted or edited in Slack meanwhile: the queue is read again (a withdrawn reply is dropped there).
        log.debug(context, 'reply changed in Slack before its attempt; reading it again');
        return true;
      case 'delivered':
        // Devin has it: the person hears so even if the store fails next (the reply is then found in the session).
        this.deps.reports.report(head, 'delivered');
        await queue.remove(sessionId, head.id, this.deps.deliveredMark?.(head));
        await this.deps.events?.delivered(sessionId, head, attempt.woke ? { woke: true } : {});
        if (head.wasHeld) await this.deps.reports.closeNotices(sessionId, head);
        return true;
      case 'not-running':
        log.info({ ...context, detail: attempt.detail }, 'session not running; replies held');
        await this.deps.reports.settle(sessionId, ['queued'], 'held', attempt.detail);
        await this.deps.events?.held(sessionId);
        return false;
      case 'unknown-session': {
        log.warn(context, 'session no longer exists; its waiting replies cannot be delivered');
        for (const reply of await queue.list(sessionId)) {
          await queue.remove(sessionId, reply.id);
          this.deps.reports.report(reply, 'gone');
        }
        return false;
      }
      case 'unauthorized':
        log.error(
          {
            ...context,
            status: attempt.error.status,
            detail: attempt.error.detail,
            reason: attempt.error.message,
            ...(attempt.error.permission ? { permission: attempt.error.permission } : {}),
          },
          'Devin refused DEVIN_API_KEY; check the key and its permissions',
        );
        await this.deps.reports.settle(sessionId, ['queued'], 'failed', misconfigured(attempt.error.permission));
        return false;
      case 'rejected':
        log.error({ ...context, status: attempt.error.status, detail: attempt.error.detail }, 'Devin rejected a reply');
        await queue.remove(sessionId, head.id);
        this.deps.reports.report({ ...head, problem: attempt.error.detail ?? attempt.error.message }, 'rejected');
        return true;
      case 'exhausted':
        log.error({ ...context, attempts: attempt.attempts, err: attempt.error.message }, 'delivery retries ran out');
        await this.deps.reports.settle(sessionId, ['queued'], 'failed', describeFailure(attempt));
        return false;
    }
  }
}

/** The problem a refused key leaves on the replies: `misconfigured`, with the permission Devin said is missing. */
export function misconfigured(permission: string | undefined): string {
  return permission ? `misconfigured:${permission}` : 'misconfigured';
}

function describeFailure(attempt: Extract<Attempt, { kind: 'exhausted' }>): string {
  const error = attempt.error;
  const what = 'status' in error ? `HTTP ${error.status}` : error.message;
  return `Devin's API could not be reached after ${attempt.attempts} attempts (${what})`;
}
