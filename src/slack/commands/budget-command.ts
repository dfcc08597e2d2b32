import { acus } from '../views/spend-meter';
import { type CommandContext, mayActHere, tell } from './command-context';

/** What someone reads who may not set a channel's budget. */
export const BUDGET_ADMINS_ONLY = "Only admins can change this channel's daily ACU budget; it stays as it is.";

/**
 * `/devin config budget [<n>|off]` in a channel: shows, sets or removes its daily ACU budget. The same rights as
 * `/devin config`: the people in `ADMIN_USER_IDS`, or, when it is unset, everyone the channel's rules let act.
 */
export async function changeBudget(ctx: CommandContext, value: number | 'off' | undefined): Promise<void> {
  const { deps } = ctx;
  const { spending } = deps;
  if (!(await mayActHere(ctx, 'budget'))) return;
  const now = spending.now();
  const current = await spending.budgets.get(ctx.team, ctx.channel);
  const spent = await spending.ledger.channelToday(ctx.team, ctx.channel, now);
  if (value === undefined) {
    const today = spending.reportsSpend ? ` Sessions started here spent ${acus(spent)} today (UTC).` : '';
    return tell(
      ctx,
      (current
        ? `This channel's daily budget is ${acus(current.acus)}.`
        : 'This channel has no daily ACU budget (`/devin config budget <n>` sets one).') + today,
    );
  }
  if (spending.admins.size > 0 && !spending.admins.has(ctx.userId)) return tell(ctx, BUDGET_ADMINS_ONLY);
  const audited = () =>
    deps.audit.record({
      action: 'budget',
      outcome: 'done',
      user_id: ctx.userId,
      team_id: ctx.team,
      channel_id: ctx.channel,
    });
  if (value === 'off') {
    await spending.budgets.set(ctx.team, ctx.channel, undefined);
    audited();
    return tell(ctx, current ? "This channel's daily ACU budget is off." : 'This channel had no daily ACU budget.');
  }
  if (!spending.reportsSpend) {
    return tell(
      ctx,
      "Devin's API v1 does not report what sessions spend, so a daily budget cannot be kept; nothing was set. " +
        'API v3 does (`DEVIN_API_VERSION=v3`).',
    );
  }
  await spending.budgets.set(ctx.team, ctx.channel, { acus: value, setBy: ctx.userId, at: now });
  audited();
  return tell(
    ctx,
    `This channel's daily budget is now ${acus(value)} (UTC days; ${acus(spent)} spent today). Once sessions ` +
      'started here spend it, new sessions are refused until midnight UTC.',
  );
}
