/** A person's daily digest of the sessions waiting for them (`/devin digest on|off [HH:MM]`). */
export interface DigestSettings {
  on: boolean;
  /** The time of day, `HH:MM`, in `timeZone` (UTC when unset). */
  at: string;
  /** The person's IANA time zone, as Slack gave it (`users.info` `tz`); unset: UTC. */
  timeZone?: string;
}

/** The time a digest is sent when none was given. */
export const DEFAULT_DIGEST_AT = '09:00';

/** A session waiting longer than this earns a reminder (at most one a session a day). */
export const REMIND_AFTER_MS = 4 * 60 * 60_000;

const DAY_MS = 24 * 60 * 60_000;

/** The next time after `now` that the clock reads `at` in `timeZone` (UTC when unset or unknown). */
export function nextDigestAt(settings: Pick<DigestSettings, 'at' | 'timeZone'>, now: number): number {
  const [hours, minutes] = settings.at.split(':').map(Number);
  const local = wallClock(now, settings.timeZone);
  for (let day = 0; day <= 2; day += 1) {
    const wall = Date.UTC(local.year, local.month - 1, local.day + day, hours ?? 0, minutes ?? 0);
    const at = fromWallClock(wall, settings.timeZone);
    if (at > now) return at;
  }
  return now + DAY_MS;
}

/** Whether `timeZone` is one the runtime knows. */
export function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function wallClock(ms: number, timeZone: string | undefined): { year: number; month: number; day: number } {
  const parts = partsIn(ms, timeZone);
  return { year: parts.year, month: parts.month, day: parts.day };
}

/** The instant whose wall clock in `timeZone` reads `wall` (given as if it were UTC). */
function fromWallClock(wall: number, timeZone: string | undefined): number {
  let at = wall - offsetOf(wall, timeZone);
  at = wall - offsetOf(at, timeZone);
  return at;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `ms`. */
function offsetOf(ms: number, timeZone: string | undefined): number {
  const p = partsIn(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

function partsIn(ms: number, timeZone: string | undefined) {
  const zone = timeZone && knownTimeZone(timeZone) ? timeZone : 'UTC';
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const value = (type: string) => Number(format.formatToParts(ms).find((p) => p.type === type)?.value ?? 0);
  return {
    year: value('year'),
    month: value('month'),
    day: value('day'),
    hour: value('hour'),
    minute: value('minute'),
    second: value('second'),
  };
}
