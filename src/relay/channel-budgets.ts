import { type ChannelBudget, nextUtcMidnight } from './model/spend';
import type { Store } from './ports/store';
import { channelBudgetKey } from './ports/store-keys';
import type { SpendLedger } from './spend-ledger';

/** Whether a channel's budget lets a session start: when it is spent, until when (the next UTC midnight). */
export type BudgetAllowance = { ok: true } | { ok: false; budget: number; spent: number; resetsAt: number };

/**
 * Each channel's daily ACU budget (`/devin config budget`): what the sessions started there spend in a UTC day counts
 * against it, and once it is spent no session starts there until the next UTC midnight.
 */
export class ChannelBudgets {
  constructor(
    private readonly store: Store,
    private readonly ledger: Pick<SpendLedger, 'channelToday'>,
  ) {}

  get(team: string, channel: string): Promise<ChannelBudget | undefined> {
    return this.store.get<ChannelBudget>(channelBudgetKey(team, channel));
  }

  async set(team: string, channel: string, budget: ChannelBudget | undefined): Promise<void> {
    if (budget) await this.store.set(channelBudgetKey(team, channel), budget);
    else await this.store.delete(channelBudgetKey(team, channel));
  }

  /** A start in the channel at `now`: refused while today's spend reached the budget. */
  async allowance(team: string, channel: string, now: number): Promise<BudgetAllowance> {
    const budget = await this.get(team, channel);
    if (!budget) return { ok: true };
    const spent = await this.ledger.channelToday(team, channel, now);
    if (spent < budget.acus) return { ok: true };
    return { ok: false, budget: budget.acus, spent, resetsAt: nextUtcMidnight(now) };
  }
}
