import type { ChannelBudgets } from '../../relay/channel-budgets';
import type { Digests } from '../../relay/digests';
import type { SpendLedger } from '../../relay/spend-ledger';

/** What `/devin cost`, `/devin config budget` and `/devin digest` work with. */
export interface SpendingDeps {
  ledger: Pick<SpendLedger, 'report' | 'channelToday'>;
  /** Devin's API reports what sessions spend (v3). */
  reportsSpend: boolean;
  now: () => number;
  /** Each person's daily digest. */
  digests: Pick<Digests, 'get' | 'set'>;
  /** Each channel's daily ACU budget. */
  budgets: Pick<ChannelBudgets, 'get' | 'set'>;
  /** `ADMIN_USER_IDS`: when set, only they change a channel's budget. */
  admins: ReadonlySet<string>;
}
