import type { MessagesFrom, SessionMessages } from '../../relay/model/devin-session';
import { DevinApiError } from '../../relay/ports/devin-errors';
import { parse } from '../http/devin-http';
import type { IsAttachment } from '../shared/attachment-lines';
import { domainMessages } from './v3-convert';
import type { V3Organization } from './v3-organization';
import { pageQuery, readFromCursor } from './v3-pages';
import { v3Page } from './v3-schemas';

/**
 * A session's messages through API v3's cursors, so that a poll costs what changed: after a read, the next one starts
 * just before the last message, and an idle poll lists that one message whatever the conversation's length.
 */
export class V3Messages {
  constructor(
    private readonly org: V3Organization,
    private readonly isAttachment: IsAttachment,
  ) {}

  /**
   * The messages from `from` on (all without it), by cursor; undefined when Devin does not know the session. A cursor
   * Devin no longer takes (400, 422) is dropped: the list is read from the start instead.
   */
  async list(sessionId: string, from?: MessagesFrom): Promise<SessionMessages | undefined> {
    const read = (start: MessagesFrom) =>
      readFromCursor((cursor, first) => this.messagesPage(sessionId, cursor, first), start);
    let start: MessagesFrom = from ?? { at: 0 };
    let pages: { items: unknown[]; next: MessagesFrom };
    try {
      pages = await read(start).catch((error: unknown) => {
        if (!(start.cursor && error instanceof DevinApiError && (error.status === 400 || error.status === 422))) {
          throw error;
        }
        start = { at: 0 };
        return read(start);
      });
    } catch (error) {
      if (error instanceof DevinApiError && error.status === 404) return undefined;
      throw error;
    }
    const { messages, malformed } = domainMessages(pages.items, this.isAttachment);
    return { messages, malformedMessages: malformed, messagesRead: { from: start, next: pages.next } };
  }

  private async messagesPage(sessionId: string, cursor: string | undefined, first: number) {
    const query = pageQuery(first, cursor);
    const answer = await this.org.call('GET', `/sessions/${encodeURIComponent(sessionId)}/messages?${query}`);
    if (answer.status !== 200) throw this.org.refused("read the session's messages", answer, 'ViewOrgSessions');
    return parse(v3Page, answer, "read the session's messages");
  }
}
