import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { SessionSnapshot } from './model/devin-session';
import { isFinal } from './model/session-state';
import type { SessionWatch } from './model/session-watch';
import type { ClosingOutcome } from './model/spend-notices';
import type { Binding } from './model/threads';
import type { PollObserver } from './poll-observer';
import type { DevinApi } from './ports/devin';
import type { FeedbackPort } from './ports/feedback';
import type { Store } from './ports/store';
import { closingSummaryKey } from './ports/store-keys';
import type { SessionEnds } from './session-ends';
import type { SpendLedger } from './spend-ledger';

const FOR_GOOD_MS = 365 * 24 * 60 * 60_000;

export interface ClosingSummariesDeps {
  store: Store;
  ledger: Pick<SpendLedger, 'get'>;
  ends: Pick<SessionEnds, 'endedBy'>;
  devin: Pick<DevinApi, 'sessionInsights'>;
  slack: Pick<FeedbackPort, 'tell'>;
  clock: Clock;
  log: Logger;
  sessionUrl: (sessionId: string) => string;
}

/**
 * When a poll first sees a session ended, each of its threads gets one closing summary: how it ended, its pull requests
 * with their state, what it spent, how long it took and, where Devin's API has them and the organization allows
 * reading them, Devin's insights. Claimed in the store first: once per session across restarts and replicas.
 */
export class ClosingSummaries implements PollObserver {
  constructor(private readonly deps: ClosingSummariesDeps) {}

  async seen(session: SessionSnapshot, watch: SessionWatch, threads: () => Promise<Binding[]>): Promise<void> {
    const { state } = session;
    if (!state || !isFinal(state) || isFinal(watch.state)) return;
    const { store, clock } = this.deps;
    if (!(await store.claim(closingSummaryKey(session.id), 'summarized', FOR_GOOD_MS))) return;
    const [ended, spend, insights] = await Promise.all([
      this.deps.ends.endedBy(session.id),
      this.deps.ledger.get(session.id),
      this.insights(session.id),
    ]);
    const outcome: ClosingOutcome = ended ? 'ended' : (state as ClosingOutcome);
    const acusConsumed = session.acusConsumed ?? watch.acusConsumed;
    for (const binding of await threads()) {
      this.deps.slack.tell(binding, {
        kind: 'closing-summary',
        sessionUrl: this.deps.sessionUrl(session.id),
        outcome,
        ...(ended ? { endedBy: ended.name } : {}),
        pullRequests: session.pullRequests,
        ...(acusConsumed === undefined ? {} : { acusConsumed }),
        ...(spend?.cap ? { cap: spend.cap } : {}),
        durationMs: clock.now() - (spend?.since ?? binding.boundAt),
        ...(insights ? { insights } : {}),
      });
    }
  }

  /** Devin's insights, or none: a failure to read them is logged and leaves them out. */
  private async insights(sessionId: string): Promise<string[] | undefined> {
    try {
      return await this.deps.devin.sessionInsights?.(sessionId);
    } catch (error) {
      this.deps.log.warn({ session_id: sessionId, err: error }, 'could not read the session insights; left out');
      return undefined;
    }
  }
}
