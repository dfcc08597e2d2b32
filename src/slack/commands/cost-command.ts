import { costMessage } from '../views/cost-blocks';
import { type CommandContext, mayActHere, tell } from './command-context';

const WEEK_MS = 6 * 24 * 60 * 60_000;

/** What someone reads where Devin's API reports no spend (v1). */
export const NO_SPEND_REPORTED =
  "Devin's API v1 does not report what sessions spend, so there is nothing to count; API v3 does " +
  '(`DEVIN_API_VERSION=v3`).';

/**
 * `/devin cost [today|week]`: what the sessions the bridge knows in this workspace spent, by channel and by person, for
 * the person only, under the same rules as acting in the channel.
 */
export async function showCost(ctx: CommandContext, period: 'today' | 'week'): Promise<void> {
  const { deps } = ctx;
  if (!(await mayActHere(ctx, 'cost'))) return;
  if (!deps.spending.reportsSpend) return tell(ctx, NO_SPEND_REPORTED);
  const now = deps.spending.now();
  const report = await deps.spending.ledger.report(ctx.team, period === 'today' ? now : now - WEEK_MS, now);
  const people = [];
  for (const person of report.people.slice(0, 16))
    people.push({ ...person, name: await deps.names.nameOf(person.key) });
  const { text, blocks } = costMessage({ period, total: report.total, channels: report.channels, people });
  return tell(ctx, text, blocks);
}
