import { isFinal } from '../../relay/model/session-state';
import { nearCap } from '../../relay/model/spend';
import type { Person } from '../../relay/person-sessions';
import type { SpendLedger } from '../../relay/spend-ledger';
import type { ListedSession, SessionListing } from './session-list';

/** What one of the person's sessions needs from them, and the one action it takes. */
export type NeedsYouItem =
  /** Devin waits for a reply in the thread (or for an approval, in Devin). */
  | { kind: 'waiting'; session: ListedSession; approval: boolean }
  /** Replies of theirs were held or failed: Resend. */
  | { kind: 'replies'; session: ListedSession; held: number; failed: number }
  /** 80% or more of its ACU cap is spent: raise it in Devin. */
  | { kind: 'cap'; session: ListedSession; spent: number; cap: number };

/** The person's channels, with what the sessions started there spent today (UTC) and their daily budget. */
export interface ChannelSpendLine {
  channel: string;
  spent: number;
  budget?: number;
}

export interface NeedsYouDeps {
  ledger: Pick<SpendLedger, 'get' | 'channelToday'>;
  /** A channel's daily budget, when it has one. */
  budgetOf?: (team: string, channel: string) => Promise<number | undefined>;
  now: () => number;
  /** Devin's API reports what sessions spend (v3); otherwise no channel spend is shown. */
  reportsSpend: boolean;
}

/** Items shown at most (two blocks each). */
const MOST = 10;

/**
 * What waits for the person, from the sessions they may see (the listing already applied the access rules): sessions
 * waiting for them, replies of theirs held or failed, sessions whose cap is nearly spent.
 */
export async function needsYou(deps: NeedsYouDeps, _person: Person, listing: SessionListing): Promise<NeedsYouItem[]> {
  if (listing.kind !== 'listed') return [];
  const items: NeedsYouItem[] = [];
  for (const session of listing.sessions) {
    if (session.state === 'waiting') items.push({ kind: 'waiting', session, approval: session.approval === true });
    const mine = session.yours ?? { held: 0, failed: 0 };
    if (mine.held + mine.failed > 0) items.push({ kind: 'replies', session, held: mine.held, failed: mine.failed });
    if (!isFinal(session.state)) {
      const spend = await deps.ledger.get(session.sessionId);
      if (spend?.cap && nearCap(spend)) items.push({ kind: 'cap', session, spent: spend.acus, cap: spend.cap });
    }
  }
  return items.slice(0, MOST);
}

/** The channels of the person's sessions (as listed), with today's spend and budget. */
export async function channelSpend(
  deps: NeedsYouDeps,
  person: Person,
  listing: SessionListing,
): Promise<ChannelSpendLine[]> {
  if (listing.kind !== 'listed' || !deps.reportsSpend) return [];
  const channels = [...new Set(listing.sessions.flatMap((s) => (s.thread ? [s.thread.channel] : [])))].slice(0, 10);
  const lines: ChannelSpendLine[] = [];
  for (const channel of channels) {
    const budget = await deps.budgetOf?.(person.team, channel);
    const spent = await deps.ledger.channelToday(person.team, channel, deps.now());
    lines.push({ channel, spent, ...(budget ? { budget } : {}) });
  }
  return lines;
}
