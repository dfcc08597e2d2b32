import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { RepeatedFailure } from '../lib/repeated-failure';
import type { SessionSnapshot } from './model/devin-session';
import { isFinal } from './model/session-state';
import type { SessionWatch } from './model/session-watch';
import { nextPollDelay, nextSafetyPoll, type PollPolicy } from './poll-schedule';
import type { DevinApi } from './ports/devin';
import { DevinApiError, isDevinError } from './ports/devin-errors';
import type { FeedbackPort } from './ports/feedback';
import type { Lease, Leases } from './ports/leases';
import type { RelayMetrics } from './ports/relay-metrics';
import { pollLeaseName } from './ports/store-keys';
import type { PollOutcome, SessionConversation } from './session-conversation';
import { readFrom, unreadableAfter } from './session-news';
import type { SessionWatches } from './session-watches';

export interface PollerDeps {
  devin: Pick<DevinApi, 'getSession'>;
  watches: SessionWatches;
  conversation: SessionConversation;
  /** One replica polls a session at a time. */
  leases: Leases;
  clock: Clock;
  log: Logger;
  policy: PollPolicy;
  /** Polls in flight at once, across all sessions. */
  concurrency: number;
  /** The most sessions one tick takes from the schedule (the rest are due at the next tick). */
  batch?: number;
  metrics?: RelayMetrics;
  /** Keeps Slack's working indicator up at each tick where the session was last seen working. */
  feedback?: Pick<FeedbackPort, 'keepWorking'>;
}

const DEFAULT_BATCH = 200;

/**
 * Devin's API has no webhooks: this polls each watched session when it is due (often while it works, less and less
 * while it is quiet), bounded in concurrency, and hands what changed to the session's conversation. Each tick reads
 * only the sessions due from the schedule; a lease in the store lets one replica poll a given session at a time.
 */
export class Poller {
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly failures: RepeatedFailure;

  constructor(private readonly deps: PollerDeps) {
    this.failures = new RepeatedFailure(deps.log, 'a polling round');
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.tick(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /**
   * Polls every session that is due; resolves when they are done (never rejects: a failed round, say the store is
   * down, is logged and the next tick tries again). Overlapping calls share one round.
   */
  tick(): Promise<void> {
    this.ticking ??= this.round()
      // After the round's reads, so that a session just seen waiting is not shown working once more.
      .finally(() => this.deps.feedback?.keepWorking?.())
      .then(
        () => this.failures.succeeded(),
        (error: unknown) => this.failures.failed(error),
      )
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  private async round(): Promise<void> {
    const now = this.deps.clock.now();
    if (now < this.pausedUntil) return;
    const due = await this.deps.watches.schedule.due(now, this.deps.batch ?? DEFAULT_BATCH);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < due.length; i = next++) {
        const { sessionId } = due[i] as { sessionId: string };
        await this.pollLeased(sessionId).catch((error: unknown) =>
          this.deps.log.error({ session_id: sessionId, err: error }, 'polling a session failed'),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency, due.length) }, worker));
  }

  private async pollLeased(sessionId: string): Promise<void> {
    await this.deps.leases.with(pollLeaseName(sessionId), async (lease) => {
      try {
        await this.poll(sessionId, lease);
      } catch (error) {
        // Not left at the placeholder: polled again after the usual interval.
        await this.deps.watches.schedule.soon(sessionId, this.deps.clock.now() + this.deps.policy.activeMs);
        throw error;
      }
    });
  }

  private async poll(sessionId: string, lease: Lease): Promise<void> {
    const { clock, log, watches } = this.deps;
    const { schedule } = watches;
    const now = clock.now();
    // Read again under the lease: another replica may have polled it since the round began.
    const dueAt = await schedule.dueAt(sessionId);
    if (dueAt === undefined || dueAt > now) return;
    const watch = await watches.forPoll(sessionId);
    if (!watch) {
      await schedule.remove(sessionId);
      return;
    }
    // Asked for sooner than this poller had scheduled it (a reply reached Devin), or back after the session's end.
    const woken = dueAt < watch.nextPollAt || isFinal(watch.state);
    // Until this poll reschedules it; a reply delivered meanwhile brings it forward, and `settle` keeps that.
    // Should this process die, the lease lapses first, then another replica finds the session due.
    const placeholder = now + lease.ttlMs;
    await schedule.set(sessionId, placeholder);
    const { metrics } = this.deps;
    metrics?.pollLag.observe(Math.max(0, now - dueAt) / 1000);
    let session: SessionSnapshot | undefined;
    try {
      // From where the last poll left off: an API that reads from a cursor lists only the last message handled and after.
      session = await this.deps.devin.getSession(sessionId, readFrom(watch.mark));
    } catch (error) {
      if (!isDevinError(error)) throw error;
      const retryAfterMs = error instanceof DevinApiError && error.status === 429 ? (error.retryAfterMs ?? 60_000) : 0;
      if (retryAfterMs) this.pausedUntil = clock.now() + retryAfterMs;
      metrics?.polls.inc({ outcome: 'failed' });
      log.warn(
        { session_id: sessionId, err: error.message, retry_after_ms: retryAfterMs },
        'polling a session failed; will try again later',
      );
      await this.reschedule(watch, placeholder, { news: false, woken, atLeastMs: retryAfterMs });
      return;
    }
    if (!session) {
      metrics?.polls.inc({ outcome: 'gone' });
      await this.deps.conversation.gone(sessionId);
      await watches.unwatch(sessionId);
      return;
    }
    // A read from a cursor lists only the end of the session: what is new there is what was not seen before.
    const unreadable = session.messagesRead
      ? unreadableAfter(session.messages, watch.mark, session.messagesRead)
      : session.malformedMessages - (watch.malformed ?? 0);
    if (unreadable > 0) {
      log.warn(
        { session_id: sessionId, skipped: session.messagesRead ? unreadable : session.malformedMessages },
        'skipped malformed messages in the session',
      );
    }
    const { state } = session;
    const words = session.status;
    if (!state && words !== (watch.status ?? '')) {
      log.warn({ session_id: sessionId, status: words }, 'unknown session status; kept the last known state');
    }
    // Fencing: after a stall (a long pause of this process) another replica may be bringing the same news into Slack.
    if (!(await lease.check())) {
      log.warn({ session_id: sessionId }, 'lost the poll lease before posting; another replica polls this session');
      return;
    }
    let outcome: PollOutcome;
    try {
      outcome = await this.deps.conversation.update(session, watch);
      metrics?.polls.inc({ outcome: outcome.changed ? 'news' : 'quiet' });
    } catch (error) {
      metrics?.polls.inc({ outcome: 'failed' });
      // What was not posted is past no saved mark: the next poll, after a pause, posts it.
      log.warn({ session_id: sessionId, err: error }, 'could not bring the session into Slack; will try again');
      await this.reschedule((await watches.get(sessionId)) ?? watch, placeholder, { news: false, woken });
      return;
    }
    if (outcome.changed) {
      const pullRequestUrl = session.pullRequests[0]?.url;
      const newPullRequest = pullRequestUrl && pullRequestUrl !== watch.pullRequestUrl;
      log.info(
        {
          session_id: sessionId,
          new_messages: outcome.messages,
          status: state ?? watch.state,
          ...(state && state !== watch.state && watch.state ? { previous_status: watch.state } : {}),
          ...(newPullRequest ? { pull_request: pullRequestUrl } : {}),
        },
        'poll found news',
      );
    } else {
      log.debug({ session_id: sessionId }, 'poll found nothing new');
    }
    const { detail: _detail, ...rest } = watch;
    const detail = state ? session.detail : watch.detail;
    const updated: SessionWatch = {
      ...rest,
      state: state ?? watch.state,
      ...(session.title ? { title: session.title } : {}),
      ...(detail ? { detail } : {}),
      ...(words ? { status: words } : {}),
      ...(session.pullRequests[0] ? { pullRequestUrl: session.pullRequests[0].url } : {}),
      ...(session.pullRequests.length ? { pullRequests: session.pullRequests } : {}),
      ...(session.acusConsumed === undefined ? {} : { acusConsumed: session.acusConsumed }),
      ...(outcome.mark ? { mark: outcome.mark } : {}),
      lastPolledAt: clock.now(),
      malformed: session.messagesRead ? 0 : session.malformedMessages,
    };
    if (!isFinal(updated.state)) {
      await this.reschedule(updated, placeholder, { news: outcome.changed, woken, read: true });
      return;
    }
    log.info({ session_id: sessionId, state: updated.state }, 'session ended; polling stops');
    await watches.save(updated);
    // Unless a reply reached Devin during this poll: then the next poll looks at the session again.
    if ((await schedule.dueAt(sessionId)) === placeholder) await watches.unwatch(sessionId);
  }

  /**
   * Saves the watch with its next poll, and schedules that poll (never later than one asked for meanwhile). With a
   * change feed, a session read is next read by its safety poll (the feed asks for it sooner when it changes); one
   * that could not be read is tried again as its adaptive schedule says.
   */
  private async reschedule(
    watch: SessionWatch,
    placeholder: number,
    { news, woken, read = false, atLeastMs = 0 }: { news: boolean; woken: boolean; read?: boolean; atLeastMs?: number },
  ): Promise<void> {
    const { policy, clock } = this.deps;
    const now = clock.now();
    let quietPolls = news ? 0 : (woken ? 0 : watch.quietPolls) + 1;
    let nextPollAt: number;
    if (read && policy.safetyMs) {
      quietPolls = 0;
      nextPollAt = nextSafetyPoll(watch.sessionId, now, policy.safetyMs, policy.activeMs);
    } else {
      nextPollAt = now + Math.max(atLeastMs, nextPollDelay(watch.state, quietPolls, policy));
    }
    await this.deps.watches.save({ ...watch, quietPolls, nextPollAt });
    await this.deps.watches.schedule.settle(watch.sessionId, placeholder, nextPollAt);
  }
}
