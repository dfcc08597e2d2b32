import type { ChangedSession, ChangedSessions } from '../../relay/ports/devin';
import type { V3Page } from './v3-schemas';
import { v3Session } from './v3-schemas';

/** One page of the session list for `query` (without `first`/`after`), after `cursor` (none: the first page). */
export type SessionPageReader = (query: string, cursor: string | undefined) => Promise<V3Page>;

/**
 * The sessions that changed, through the list's `updated_after` filter: one call while fewer than 200 changed, newest
 * first, stopping at the mark (an item at or before it ends the read, should the filter not be applied). Devin's
 * timestamps are read as Unix seconds, or milliseconds when the number is that large; the filter is sent in the unit
 * Devin was last seen to use.
 */
export class V3Changes {
  /** Milliseconds per unit of Devin's timestamps, as last seen (seconds until a value says otherwise). */
  private unitMs = 1000;

  constructor(private readonly readPage: SessionPageReader) {}

  async list(after: number | undefined, maxPages: number): Promise<ChangedSessions> {
    const query = after === undefined ? '' : `updated_after=${Math.floor(after / this.unitMs)}`;
    const sessions: ChangedSession[] = [];
    let cursor: string | undefined;
    for (let pages = 0; ; pages += 1) {
      if (pages >= Math.max(1, maxPages) || (after === undefined && pages >= 1)) {
        return { sessions, complete: after === undefined };
      }
      const page = await this.readPage(query, cursor);
      let reachedMark = false;
      for (const item of page.items) {
        const session = v3Session.safeParse(item);
        if (!session.success) continue;
        const updatedAt = this.millisecondsOf(session.data.updated_at);
        if (updatedAt === undefined) continue;
        if (after !== undefined && updatedAt <= after) {
          reachedMark = true;
          continue;
        }
        sessions.push({ sessionId: session.data.session_id, updatedAt });
      }
      if (reachedMark || !page.has_next_page || !page.end_cursor || page.items.length === 0) {
        return { sessions, complete: true };
      }
      cursor = page.end_cursor;
    }
  }

  private millisecondsOf(value: number | string | null | undefined): number | undefined {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
    if (n > 1e12) {
      this.unitMs = 1;
      return n;
    }
    this.unitMs = 1000;
    return n * 1000;
  }
}
