import type { SessionSnapshot } from './model/devin-session';
import type { PollMark, SessionWatch } from './model/session-watch';
import type { RelayedTexts } from './relayed-texts';
import { type SessionNews, sessionNews, unhandledMessages } from './session-news';

/** What a poll found that the threads have not seen. */
export interface ReadNews {
  /** Each message after the watch's mark, in order: Devin's, a person's, an echo of a relayed reply, or skipped. */
  news: SessionNews[];
  /** The mark after every message listed (the watch's own when none is). */
  end: PollMark | undefined;
}

/**
 * Reads Devin's news in a session: the messages after the watch's mark, each once and in order, told apart from the
 * echoes of the replies this app relayed (read from the relayed texts only when a person's message is among them).
 */
export class NewsReader {
  constructor(private readonly deps: { relayed: Pick<RelayedTexts, 'list'> }) {}

  async read(session: SessionSnapshot, watch: SessionWatch): Promise<ReadNews> {
    const { unhandled, end } = unhandledMessages(session.messages, watch.mark, session.messagesRead);
    if (unhandled.length === 0) return { news: [], end };
    const person = unhandled.some((u) => u.message.from === 'person');
    const relayed = person ? await this.deps.relayed.list(session.id) : [];
    return { news: sessionNews(unhandled, relayed), end };
  }
}
