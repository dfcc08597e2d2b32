import { dayStart, daysBetween, type SessionSpend, type SpendTotal, spentOn, utcDay } from './model/spend';
import type { Store } from './ports/store';
import { channelSpendIndex, SPEND_RECENT_INDEX, sessionSpendKey } from './ports/store-keys';

/** How many sessions one total reads at most (the newest spenders first). */
const READ_LIMIT = 1000;

/** Where a session belongs when the ledger first hears of it. */
export interface SpendOrigin {
  team: string;
  channel: string;
  userId: string;
  started: boolean;
  cap?: number;
}

/** The totals of a period: by channel (`team:channel`) and by person (`team:user`), the largest first. */
export interface SpendReport {
  channels: SpendTotal[];
  people: SpendTotal[];
  total: number;
}

/**
 * What sessions started or linked from Slack spend, day by day (UTC). A session's record is written at its start; each
 * poll adds what it spent since the last one to the day's count (polls of one session run under its lease, one at a
 * time, so the record has one writer). Two sorted indexes, scored with minus the time of the last spend, list who spent
 * lately: across the app (`/devin cost`) and per channel (its budget).
 */
export class SpendLedger {
  constructor(private readonly store: Store) {}

  /** A session started (or linked) from Slack: its record, unless it has one. */
  async begin(sessionId: string, origin: SpendOrigin, now: number): Promise<void> {
    if (await this.get(sessionId)) return;
    const spend: SessionSpend = {
      sessionId,
      team: origin.team,
      channel: origin.channel,
      userId: origin.userId,
      started: origin.started,
      ...(origin.cap ? { cap: origin.cap } : {}),
      since: now,
      acus: 0,
      days: {},
    };
    await this.store.set(sessionSpendKey(sessionId), spend);
  }

  get(sessionId: string): Promise<SessionSpend | undefined> {
    return this.store.get<SessionSpend>(sessionSpendKey(sessionId));
  }

  /**
   * A poll saw the session at `acus` in all: what it spent since is added to today's count. Undefined for a session the
   * ledger has no record of; otherwise its record before and after.
   */
  async record(
    sessionId: string,
    acus: number,
    now: number,
  ): Promise<{ before: SessionSpend; after: SessionSpend } | undefined> {
    const before = await this.get(sessionId);
    if (!before) return undefined;
    const grown = acus - before.acus;
    if (grown <= 0) return { before, after: before };
    const day = utcDay(now);
    const after: SessionSpend = { ...before, acus, days: { ...before.days, [day]: (before.days[day] ?? 0) + grown } };
    await this.store.set(sessionSpendKey(sessionId), after);
    await this.store.index(SPEND_RECENT_INDEX).put(sessionId, -now);
    await this.store.index(channelSpendIndex(before.team, before.channel)).put(sessionId, -now);
    return { before, after };
  }

  /** What the sessions started in the channel spent on the UTC day of `now`. */
  async channelToday(team: string, channel: string, now: number): Promise<number> {
    const today = [utcDay(now)];
    let sum = 0;
    for (const spend of await this.spentSince(channelSpendIndex(team, channel), dayStart(now))) {
      if (spend.started && spend.team === team && spend.channel === channel) sum += spentOn(spend, today);
    }
    return sum;
  }

  /** What the sessions of workspace `team` spent from the UTC day of `from` to `now`, by channel and by person. */
  async report(team: string, from: number, now: number): Promise<SpendReport> {
    const days = daysBetween(from, now);
    const channels = new Map<string, SpendTotal>();
    const people = new Map<string, SpendTotal>();
    let total = 0;
    const add = (totals: Map<string, SpendTotal>, key: string, acus: number) => {
      const entry = totals.get(key) ?? { key, acus: 0, sessions: 0 };
      totals.set(key, { key, acus: entry.acus + acus, sessions: entry.sessions + 1 });
    };
    for (const spend of await this.spentSince(SPEND_RECENT_INDEX, dayStart(from))) {
      if (spend.team !== team) continue;
      const acus = spentOn(spend, days);
      if (acus <= 0) continue;
      total += acus;
      add(channels, spend.channel, acus);
      add(people, spend.userId, acus);
    }
    const largest = (totals: Map<string, SpendTotal>) => [...totals.values()].sort((a, b) => b.acus - a.acus);
    return { channels: largest(channels), people: largest(people), total };
  }

  /** The records of the sessions of an index that spent at `since` or later. */
  private async spentSince(index: string, since: number): Promise<SessionSpend[]> {
    const entries = await this.store.index(index).upTo(-since, READ_LIMIT);
    const records: SessionSpend[] = [];
    for (const { member } of entries) {
      const spend = await this.get(member);
      if (spend) records.push(spend);
    }
    return records;
  }
}
