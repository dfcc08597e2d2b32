import { DEFAULT_DIGEST_AT, type DigestSettings, knownTimeZone } from '../../relay/model/digest';
import { slackDate } from '../views/session-lines';
import { type CommandContext, mayActHere, tell } from './command-context';

/**
 * `/devin digest on|off [HH:MM]`: the person's daily digest, at a time of day in their Slack time zone (`users.info`
 * `tz`), or in UTC when Slack gives none; the answer says which, and when the first one comes.
 */
export async function changeDigest(ctx: CommandContext, on: boolean, at: string | undefined): Promise<void> {
  const { deps } = ctx;
  if (!(await mayActHere(ctx, 'digest'))) return;
  const person = { team: ctx.team, userId: ctx.userId };
  const { digests, now } = deps.spending;
  const before = await digests.get(person);
  const zone = await deps.names.timeZoneOf(ctx.userId);
  const timeZone = zone && knownTimeZone(zone) ? zone : undefined;
  const settings: DigestSettings = {
    on,
    at: at ?? before?.at ?? DEFAULT_DIGEST_AT,
    ...(timeZone ? { timeZone } : {}),
  };
  const next = await digests.set(person, settings, now());
  if (!on || next === undefined) return tell(ctx, 'Your daily Devin digest is off.');
  const where = timeZone ? `in your Slack time zone (${timeZone})` : 'UTC (Slack gave no time zone for you)';
  return tell(
    ctx,
    `Your daily Devin digest is on: at ${settings.at} ${where}, a direct message lists the sessions waiting for you ` +
      `(none: no message), and a session waiting more than 4 hours gets one reminder a day. The next is ${slackDate(next)}.`,
  );
}
