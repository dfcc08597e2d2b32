/** What a session started or linked from Slack spent, and where it belongs: the ledger's record of it. */
export interface SessionSpend {
  sessionId: string;
  team: string;
  /** The channel it was started (or linked) in. */
  channel: string;
  /** Who started (or linked) it. */
  userId: string;
  /** Started from Slack (counts against the channel's budget), rather than linked. */
  started: boolean;
  /** The most ACUs it may spend, as asked at its start (`max_acu_limit`); unset: no cap known. */
  cap?: number;
  /** When the bridge started (or first saw) it. */
  since: number;
  /** ACUs spent in all, as last polled. */
  acus: number;
  /** ACUs spent per UTC day (`2026-12-06`), as polls saw them grow. */
  days: Record<string, number>;
}

/** A channel's daily budget of ACUs. */
export interface ChannelBudget {
  acus: number;
  setBy: string;
  at: number;
}

/** Spent by one channel or person over a period. */
export interface SpendTotal {
  key: string;
  acus: number;
  sessions: number;
}

/** The part of a session's cap at which its thread is warned. */
export const CAP_WARNING = 0.8;

const DAY_MS = 24 * 60 * 60_000;

/** The UTC day of `ms`, as `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The start of the UTC day of `ms`. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The next UTC midnight after `ms`: when a day's budget resets. */
export function nextUtcMidnight(ms: number): number {
  return dayStart(ms) + DAY_MS;
}

/** The UTC days from `from` to `to` (both included), oldest first. */
export function daysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  for (let at = dayStart(from); at <= to; at += DAY_MS) days.push(utcDay(at));
  return days;
}

/** What the session spent over `days`. */
export function spentOn(spend: SessionSpend, days: readonly string[]): number {
  return days.reduce((sum, day) => sum + (spend.days[day] ?? 0), 0);
}

/** Whether the session spent at least 80% of its cap. */
export function nearCap(spend: Pick<SessionSpend, 'cap' | 'acus'>): boolean {
  return spend.cap !== undefined && spend.cap > 0 && spend.acus >= spend.cap * CAP_WARNING;
}

/** Cells of the spend meter on a root message: one per tenth of the cap. */
export const METER_CELLS = 10;

/** The meter's step (a tenth of the cap; a tenth of an ACU without one): the root is edited for spend when it moves. */
export function meterStep(spent: number | undefined, cap: number | undefined): number | undefined {
  if (spent === undefined) return undefined;
  if (!cap || cap <= 0) return Math.round(spent * 10);
  return Math.min(METER_CELLS, Math.floor((spent / cap) * METER_CELLS));
}
