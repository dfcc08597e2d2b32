import { randomUUID } from 'node:crypto';
import type { DevinClient } from '../devin/devin-client';
import { DevinApiError, isDevinError } from '../devin/devin-errors';
import type { DevinSession } from '../devin/devin-schemas';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { Clock } from './clock';
import { nextPollDelay, type PollPolicy } from './poll-schedule';
import type { SessionConversation } from './session-conversation';
import { isFinal, sessionState } from './session-state';
import type { SessionWatch, SessionWatches } from './session-watches';

export interface PollerDeps {
  devin: Pick<DevinClient, 'getSession'>;
  watches: SessionWatches;
  conversation: SessionConversation;
  store: Store;
  clock: Clock;
  log: Logger;
  policy: PollPolicy;
  /** Polls in flight at once, across all sessions. */
  concurrency: number;
}

/** Long enough for a poll that posts a burst of messages at Slack's pace of one per second. */
const LEASE_MS = 5 * 60_000;

/**
 * Devin's API has no webhooks: this polls each watched session when it is due (often while it works, less and less
 * while it is quiet), bounded in concurrency, and hands what changed to the session's conversation. A lease in the
 * store lets one replica poll a given session at a time.
 */
export class Poller {
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly owner = randomUUID();

  constructor(private readonly deps: PollerDeps) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.tick(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /** Polls every session that is due; resolves when they are done. Overlapping calls share one round. */
  tick(): Promise<void> {
    this.ticking ??= this.round().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async round(): Promise<void> {
    const now = this.deps.clock.now();
    if (now < this.pausedUntil) return;
    const due: string[] = [];
    for (const sessionId of await this.deps.watches.active()) {
      const watch = await this.deps.watches.get(sessionId);
      if (!watch) await this.deps.watches.unwatch(sessionId);
      else if (watch.nextPollAt <= now) due.push(sessionId);
    }
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < due.length; i = next++) {
        const sessionId = due[i] as string;
        await this.pollLeased(sessionId).catch((error: unknown) =>
          this.deps.log.error({ sessionId, err: error }, 'polling a session failed'),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency, due.length) }, worker));
  }

  private async pollLeased(sessionId: string): Promise<void> {
    const lease = `lease:poll:${sessionId}`;
    if (!(await this.deps.store.claim(lease, this.owner, LEASE_MS))) return;
    try {
      await this.poll(sessionId);
    } finally {
      await this.deps.store.release(lease, this.owner);
    }
  }

  private async poll(sessionId: string): Promise<void> {
    const { clock, log, watches } = this.deps;
    let session: DevinSession | undefined;
    try {
      session = await this.deps.devin.getSession(sessionId);
    } catch (error) {
      if (!isDevinError(error)) throw error;
      const retryAfterMs = error instanceof DevinApiError && error.status === 429 ? (error.retryAfterMs ?? 60_000) : 0;
      if (retryAfterMs) this.pausedUntil = clock.now() + retryAfterMs;
      log.warn({ sessionId, err: error.message, retryAfterMs }, 'polling a session failed; will try again later');
      await watches.update(sessionId, (w) => this.reschedule(w, false, retryAfterMs));
      return;
    }
    if (!session) {
      await this.deps.conversation.gone(sessionId);
      await watches.unwatch(sessionId);
      return;
    }
    const watch = await watches.get(sessionId);
    if (!watch) return;
    if (session.malformedMessages > (watch.malformed ?? 0)) {
      log.warn({ sessionId, skipped: session.malformedMessages }, 'skipped malformed messages in the session');
    }
    const state = sessionState(session);
    if (!state && (session.status_enum ?? session.status ?? '') !== (watch.status ?? '')) {
      log.warn(
        { sessionId, status: session.status, statusEnum: session.status_enum },
        'unknown session status; kept the last known state',
      );
    }
    let news: boolean;
    try {
      news = await this.deps.conversation.update(session, watch, state);
    } catch (error) {
      // What was not posted is not marked seen: the next poll, after a pause, posts it.
      log.warn({ sessionId, err: error }, 'could not bring the session into Slack; will try again');
      await watches.update(sessionId, (w) => this.reschedule(w, false));
      return;
    }
    const updated = await watches.update(sessionId, (w) => ({
      ...this.reschedule({ ...w, state: state ?? w.state }, news),
      ...(session.status_enum || session.status ? { status: session.status_enum ?? session.status ?? '' } : {}),
      ...(session.pull_request?.url ? { pullRequestUrl: session.pull_request.url } : {}),
      lastPolledAt: clock.now(),
      malformed: session.malformedMessages,
    }));
    if (updated && isFinal(updated.state)) {
      log.info({ sessionId, state: updated.state }, 'session ended; polling stops');
      await watches.unwatch(sessionId);
    }
  }

  private reschedule(watch: SessionWatch, news: boolean, atLeastMs = 0): SessionWatch {
    const quietPolls = news ? 0 : watch.quietPolls + 1;
    const delay = Math.max(atLeastMs, nextPollDelay(watch.state, quietPolls, this.deps.policy));
    return { ...watch, quietPolls, nextPollAt: this.deps.clock.now() + delay };
  }
}
