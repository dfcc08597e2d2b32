import { randomUUID } from 'node:crypto';
import type { Store } from './ports/store';
import { relayedIndex } from './ports/store-keys';
import { fingerprint, type RelayedText } from './session-news';

/** Enough for every reply that could still be on its way into a session. */
const LIMIT = 500;
/** A relayed text that has not shown up in the session after this long never will. */
const KEEP_MS = 24 * 60 * 60_000;

/**
 * The texts this app relayed into each session and has not yet seen come back in it, so that their copies in the
 * session are not echoed into Slack. One sorted index per session: adding or forgetting one is a single write.
 */
export class RelayedTexts {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async add(sessionId: string, text: string): Promise<void> {
    await this.restore(sessionId, [fingerprint(text)]);
  }

  /** Puts back fingerprints recorded elsewhere (by earlier versions, in the watch record). */
  async restore(sessionId: string, prints: string[]): Promise<void> {
    for (const print of prints) await this.index(sessionId).put(`${print}:${randomUUID().slice(0, 8)}`, this.now());
  }

  /** Oldest first; the ones too old to come back are forgotten on the way. */
  async list(sessionId: string): Promise<RelayedText[]> {
    const rows = await this.index(sessionId).upTo(Number.MAX_SAFE_INTEGER, LIMIT);
    const oldest = this.now() - KEEP_MS;
    const stale = rows.filter((row) => row.score < oldest).map((row) => row.member);
    await this.forget(sessionId, stale);
    return rows
      .filter((row) => row.score >= oldest)
      .map((row) => ({ id: row.member, fingerprint: row.member.split(':')[0] as string }));
  }

  async forget(sessionId: string, ids: string[]): Promise<void> {
    for (const id of ids) await this.index(sessionId).remove(id);
  }

  private index(sessionId: string) {
    return this.store.index(relayedIndex(sessionId));
  }
}
