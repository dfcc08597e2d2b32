import type { Logger } from '../lib/logger';
import type { ChannelBudgets } from './channel-budgets';
import type { AuditPort } from './ports/audit';
import type { AskedStart, StartAllowance, StartLimits } from './start-limits';

export interface BudgetLimitsDeps {
  budgets: Pick<ChannelBudgets, 'allowance'>;
  /** The hourly limits, asked once the budget allows the start. */
  hourly?: Pick<StartLimits, 'take'>;
  log: Logger;
  audit?: AuditPort;
}

/**
 * A start's allowance: refused while its channel's daily ACU budget is spent (until the next UTC midnight), then within
 * the hourly limits. Every way in (command, mention, direct message, form) asks this before anything is recorded.
 */
export class BudgetLimits {
  constructor(private readonly deps: BudgetLimitsDeps) {}

  async take(start: AskedStart, now: number): Promise<StartAllowance> {
    const budget = await this.deps.budgets.allowance(start.team, start.channel, now);
    if (!budget.ok) {
      const who = { user_id: start.user, team_id: start.team, channel_id: start.channel };
      this.deps.log.warn(
        { ...who, budget: budget.budget, spent: budget.spent },
        "session start over the channel's budget",
      );
      this.deps.audit?.record({
        action: 'start',
        outcome: 'limited',
        reason: 'channel-budget',
        ...who,
        thread_ts: start.thread?.threadTs,
      });
      return { ok: false, scope: 'channel-budget', limit: budget.budget, retryAt: budget.resetsAt };
    }
    return (await this.deps.hourly?.take(start, now)) ?? { ok: true };
  }
}
