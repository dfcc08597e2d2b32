import type { Clock } from '../lib/clock';
import type { SessionSnapshot } from './model/devin-session';
import type { SessionWatch } from './model/session-watch';
import { nearCap } from './model/spend';
import type { Binding } from './model/threads';
import type { PollObserver } from './poll-observer';
import type { FeedbackPort } from './ports/feedback';
import type { Store } from './ports/store';
import { capWarnedKey } from './ports/store-keys';
import type { SpendLedger } from './spend-ledger';

/** A claim that outlives any session: the warning is given once per session, for good. */
const FOR_GOOD_MS = 365 * 24 * 60 * 60_000;

export interface SpendWatchDeps {
  ledger: SpendLedger;
  store: Store;
  slack: Pick<FeedbackPort, 'tell'>;
  clock: Clock;
  /** `ADMIN_USER_IDS`: named, with the starter, as who can raise a cap. */
  admins: readonly string[];
  sessionUrl: (sessionId: string) => string;
}

/**
 * What each poll says a session spent goes into the ledger (a session linked rather than started gets its record at
 * its first poll, from its thread); once 80% of its cap is spent, its threads are told, once per session across
 * restarts and replicas (a claim), naming who can raise it.
 */
export class SpendWatch implements PollObserver {
  constructor(private readonly deps: SpendWatchDeps) {}

  async seen(session: SessionSnapshot, _watch: SessionWatch, threads: () => Promise<Binding[]>): Promise<void> {
    const { ledger, clock } = this.deps;
    if (session.acusConsumed === undefined) return;
    const now = clock.now();
    let recorded = await ledger.record(session.id, session.acusConsumed, now);
    if (!recorded) {
      const first = (await threads())[0];
      if (!first) return;
      await ledger.begin(
        session.id,
        { team: first.team, channel: first.channel, userId: first.boundBy ?? '', started: false },
        now,
      );
      recorded = await ledger.record(session.id, session.acusConsumed, now);
    }
    const spend = recorded?.after;
    if (!spend || spend.cap === undefined || !nearCap(spend)) return;
    if (!(await this.deps.store.claim(capWarnedKey(session.id), 'warned', FOR_GOOD_MS))) return;
    const mention = [...new Set([spend.userId, ...this.deps.admins].filter(Boolean))];
    for (const binding of await threads()) {
      if (binding.muted) continue;
      this.deps.slack.tell(binding, {
        kind: 'cap-near',
        sessionUrl: this.deps.sessionUrl(session.id),
        spent: spend.acus,
        cap: spend.cap,
        mention,
      });
    }
  }
}
