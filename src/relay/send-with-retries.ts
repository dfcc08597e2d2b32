import { backoffDelay } from '../lib/backoff';
import type { Clock } from '../lib/clock';
import { replyFields } from '../lib/log-fields';
import type { Logger } from '../lib/logger';
import type { ReplyAttribution } from './attribution';
import { attachedUrls } from './file-outcomes';
import type { Acting } from './model/acting';
import type { Reply } from './model/replies';
import type { DevinApi, SendResult } from './ports/devin';
import { DevinApiError, type DevinError, isDevinError, mayHaveArrived } from './ports/devin-errors';
import type { RelayMetrics } from './ports/relay-metrics';
import type { ReplyQueue } from './ports/reply-queue';
import { fingerprint } from './session-news';

/** The end of one reply's delivery attempts. */
export type Attempt =
  | SendResult
  | { kind: 'unauthorized'; error: DevinApiError }
  | { kind: 'rejected'; error: DevinApiError }
  | { kind: 'exhausted'; error: DevinError; attempts: number }
  /** No attempt was made: the lease was lost (another holder may send it) or the process is stopping. */
  | { kind: 'stopped'; detail: string }
  /** No attempt was made: its Slack message was deleted or edited since the reply was read (read it again). */
  | { kind: 'changed' };

export interface SendDeps {
  devin: Pick<DevinApi, 'sendMessage' | 'listMessages'>;
  queue: ReplyQueue;
  clock: Clock;
  log: Logger;
  retryWindowMs: number;
  metrics?: RelayMetrics;
  /** Called once when the first attempt failed and retries begin. */
  onRetrying: (reply: Reply) => void;
  /** Asked before each attempt (it may renew the delivery lease); false stops without one. */
  mayAttempt: () => Promise<boolean>;
  /** Asked at the last moment before a message goes out, without waiting on anything; false stops without sending. */
  maySend: () => boolean;
  /** Told each time an attempt is recorded, before its request goes out, with the reply as recorded (attempts counted). */
  onRecorded?: (reply: Reply) => void;
  /** Replies sent as their author's Devin account (`DEVIN_ACT_AS_SLACK_USER`); unset, the service user sends all. */
  attribution?: ReplyAttribution;
}

/**
 * Sends one reply, retrying 429, 5xx, timeouts and network errors with backoff for a bounded time. Before sending
 * again after an answer that may hide a success (timeout, reset, 5xx, or a restart mid-request), it looks for the
 * message in the session first, so that a retry does not deliver it twice.
 */
export async function sendWithRetries(reply: Reply, deps: SendDeps): Promise<Attempt> {
  const { devin, queue, clock, log } = deps;
  const deadline = clock.now() + deps.retryWindowMs;
  const context = replyFields(reply);
  let current = reply;
  for (let attempt = 0; ; attempt += 1) {
    let error: DevinError;
    let checking = false;
    let acting: Acting | undefined;
    try {
      if (!(await deps.mayAttempt()))
        return { kind: 'stopped', detail: 'the delivery lease is gone or the app is stopping' };
      checking = current.uncertain === true;
      if (checking && (await alreadyArrived(current, deps))) {
        log.info(context, 'reply found in the session after an uncertain attempt; not sending it again');
        return { kind: 'delivered' };
      }
      checking = false;
      // Found before the attempt is marked: a failure to look the author up is a failure to send, retried as one.
      acting = await deps.attribution?.actingFor(current);
      // Recorded before the request goes out: after a crash, the words are looked for in the session before resending.
      // Only while the reply is as it was read: its message deleted or edited since, nothing is sent.
      const change = {
        uncertain: true,
        attempts: current.attempts + 1,
        firstAttemptAt: current.firstAttemptAt ?? clock.now(),
        text: current.text,
      };
      if (!(await queue.update(reply.id, change, current.revisions ?? 0))) return { kind: 'changed' };
      current = { ...current, ...change };
      deps.onRecorded?.(current);
      // Recording took time: the lease must still be firmly ours as the message leaves (fencing).
      if (!deps.maySend()) return { kind: 'stopped', detail: 'the delivery lease could not be kept' };
      deps.metrics?.deliveryAttempts.inc();
      const asUserId = acting && 'asUserId' in acting ? acting.asUserId : undefined;
      const attachmentUrls = attachedUrls(current.attachments);
      const result = await devin.sendMessage(reply.sessionId, current.text, {
        ...(asUserId ? { asUserId } : {}),
        ...(attachmentUrls.length ? { attachmentUrls } : {}),
      });
      if (result.kind === 'delivered') deps.attribution?.delivered(current, acting);
      // A clear answer that Devin did not take it: nothing is in flight any more (a deletion now takes it back).
      else await queue.update(reply.id, { uncertain: false });
      return result;
    } catch (caught) {
      if (!isDevinError(caught)) throw caught;
      error = caught;
    }
    // Devin would not send it as the person: at once again, as the service user (a 403 delivered nothing).
    if (acting && 'asUserId' in acting && error instanceof DevinApiError && error.status === 403) {
      deps.attribution?.refused(current, error);
      await queue.update(reply.id, { uncertain: false });
      current = { ...current, uncertain: false };
      continue;
    }
    if (error instanceof DevinApiError && error.unauthorized) return { kind: 'unauthorized', error };
    // A failed look-up leaves the reply uncertain: it is looked for again, never re-sent blindly.
    if (!checking) {
      if (!mayHaveArrived(error)) {
        await queue.update(reply.id, { uncertain: false });
        current = { ...current, uncertain: false };
      }
      if (error instanceof DevinApiError && !error.retryable && error.status !== 200)
        return { kind: 'rejected', error };
    }
    const delay = backoffDelay(
      attempt,
      clock.random(),
      error instanceof DevinApiError ? error.retryAfterMs : undefined,
    );
    if (clock.now() + delay > deadline) return { kind: 'exhausted', error, attempts: attempt + 1 };
    log.warn({ ...context, attempt: attempt + 1, delay_ms: delay, err: error.message }, 'delivery failed; retrying');
    deps.metrics?.deliveryRetries.inc();
    if (attempt === 0) deps.onRetrying(current);
    await clock.sleep(delay);
  }
}

async function alreadyArrived(reply: Reply, deps: SendDeps): Promise<boolean> {
  // Rare (an attempt without a clear answer), so the whole list is read: the reply may be anywhere in it.
  const session = await deps.devin.listMessages(reply.sessionId);
  if (!session) return false;
  const since = (reply.firstAttemptAt ?? reply.receivedAt) - 60_000;
  const words = fingerprint(reply.text);
  return session.messages.some((m) => {
    if (m.from !== 'person' || fingerprint(m.text) !== words) return false;
    const at = Date.parse(m.at);
    return Number.isNaN(at) || at >= since;
  });
}
