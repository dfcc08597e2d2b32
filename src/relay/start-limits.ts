import type { Logger } from '../lib/logger';
import type { Notice } from './model/notices';
import type { ThreadRef } from './model/threads';
import type { AuditPort } from './ports/audit';
import type { SortedIndex, Store } from './ports/store';
import { startsByPersonIndex, startsByTeamIndex } from './ports/store-keys';

const HOUR_MS = 60 * 60_000;
/** Old entries dropped per look: a steady trickle keeps an index short without a sweep. */
const PRUNE = 50;

export interface StartLimitsDeps {
  store: Store;
  /** `STARTS_PER_PERSON_PER_HOUR` */
  perPerson: number;
  /** `STARTS_PER_WORKSPACE_PER_HOUR` */
  perWorkspace: number;
  windowMs?: number;
  log: Logger;
  /** A start refused for a flood is an audit line. */
  audit?: AuditPort;
}

/** The start asked for: its id (the same for Slack's redelivery), who asked, and where its thread is, if known. */
export interface AskedStart {
  id: string;
  team: string;
  user: string;
  channel: string;
  thread?: ThreadRef | undefined;
}

/** A start may go on, or not: who reached their limit, what it is, and when a start is possible again. */
export type StartAllowance =
  | { ok: true }
  | { ok: false; scope: 'person' | 'workspace'; limit: number; retryAt: number }
  /** The channel's daily ACU budget (`limit`) is spent; it resets at `retryAt` (the next UTC midnight). */
  | { ok: false; scope: 'channel-budget'; limit: number; retryAt: number };

/**
 * How many sessions one person, and one workspace, may start in an hour. Each start is an entry (its id, scored by
 * when it was asked for) in a sorted index per person and per workspace; the entry is put first and counted after,
 * so that replicas starting at once err on refusing, never on letting a flood through. A start refused takes its
 * entries back; the same start asked again (Slack's redelivery) is one entry.
 */
export class StartLimits {
  private readonly windowMs: number;

  constructor(private readonly deps: StartLimitsDeps) {
    this.windowMs = deps.windowMs ?? HOUR_MS;
  }

  /** Counts the start in, or refuses it (logged and audited: who was stopped, by which limit). */
  async take(start: AskedStart, now: number): Promise<StartAllowance> {
    const allowance = await this.count(start, now);
    if (allowance.ok) return allowance;
    const who = { user_id: start.user, team_id: start.team };
    this.deps.log.warn(
      { ...who, scope: allowance.scope, limit: allowance.limit },
      'session start over the hourly limit',
    );
    this.deps.audit?.record({
      action: 'start',
      outcome: 'limited',
      reason: `${allowance.scope}-limit`,
      ...who,
      channel_id: start.channel,
      thread_ts: start.thread?.threadTs,
    });
    return allowance;
  }

  private async count(start: AskedStart, now: number): Promise<StartAllowance> {
    const { store, perPerson, perWorkspace } = this.deps;
    const person = store.index(startsByPersonIndex(start.team, start.user));
    const byPerson = await this.takeIn(person, start.id, now, perPerson);
    if (byPerson !== undefined) return { ok: false, scope: 'person', limit: perPerson, retryAt: byPerson };
    const byTeam = await this.takeIn(store.index(startsByTeamIndex(start.team)), start.id, now, perWorkspace);
    if (byTeam === undefined) return { ok: true };
    await person.remove(start.id);
    return { ok: false, scope: 'workspace', limit: perWorkspace, retryAt: byTeam };
  }

  /** Undefined when the start fits under `limit`; otherwise (its entry taken back) when one would fit again. */
  private async takeIn(index: SortedIndex, id: string, now: number, limit: number): Promise<number | undefined> {
    await index.put(id, now);
    for (const old of await index.upTo(now - this.windowMs, PRUNE)) await index.remove(old.member);
    const size = await index.size();
    if (size <= limit) return undefined;
    await index.remove(id);
    // `size - 1` entries remain, the oldest first; one more fits when all but `limit - 1` of them have aged out.
    const entries = await index.upTo(Number.MAX_SAFE_INTEGER, size);
    const freeing = entries[entries.length - limit];
    return (freeing?.score ?? now) + this.windowMs;
  }
}

/** What the person whose start was refused is told: whose limit, which, and when a start is possible again. */
export function limitedNotice(refused: Extract<StartAllowance, { ok: false }>): Notice {
  if (refused.scope === 'channel-budget') {
    return { kind: 'start-limited', scope: 'channel-budget', limit: refused.limit, retryAt: refused.retryAt };
  }
  return { kind: 'start-limited', scope: refused.scope, limit: refused.limit, retryAt: refused.retryAt };
}
