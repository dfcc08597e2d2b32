import type { Logger } from '../lib/logger';
import type { DeliveryFollowUp } from './delivery-follow-up';
import type { HeldReplies } from './held-replies';
import type { SessionSnapshot } from './model/devin-session';
import type { PollMark, SessionWatch } from './model/session-watch';
import type { Binding } from './model/threads';
import type { NewsPoster } from './news-poster';
import type { NewsReader } from './news-reader';
import type { PollObserver } from './poll-observer';
import type { FeedbackPort } from './ports/feedback';
import type { SessionWatches } from './session-watches';
import type { StateDisplay } from './state-display';
import type { ThreadBindings } from './thread-bindings';

export interface ConversationDeps {
  bindings: Pick<ThreadBindings, 'bindingsOf'>;
  watches: Pick<SessionWatches, 'heldWaiting'>;
  reader: NewsReader;
  poster: NewsPoster;
  display: StateDisplay;
  followUp: Pick<DeliveryFollowUp, 'asleep'>;
  held: Pick<HeldReplies, 'wake'>;
  slack: Pick<FeedbackPort, 'tell'>;
  log: Logger;
  /** A session's address on Devin's web app, for the notices. */
  sessionUrl: (sessionId: string) => string;
  /** Told of each poll once its news and state are shown (spend, closing summaries, waiting times). */
  observers?: PollObserver[];
}

/** What one poll changed: news (which keeps polling frequent), and the mark to record with the watch. */
export interface PollOutcome {
  changed: boolean;
  mark: PollMark | undefined;
  /** The session's messages this poll saw for the first time (Devin's, people's, and echoes of relayed replies). */
  messages: number;
}

/**
 * Brings one poll of a session into its threads: Devin's news read (`NewsReader`) and posted, each message once and in
 * order (`NewsPoster`); the session's state shown (`StateDisplay`); and the replies held while it could not take them
 * sent once it works again (`HeldReplies`).
 */
export class SessionConversation {
  constructor(private readonly deps: ConversationDeps) {}

  /**
   * Applies one poll. A mark that only moved over skipped messages and echoes is returned for the poller's own write,
   * unless echoes were matched: their relayed texts are forgotten only once a saved mark is past them.
   */
  async update(session: SessionSnapshot, watch: SessionWatch): Promise<PollOutcome> {
    const sessionId = session.id;
    let threads: Promise<Binding[]> | undefined;
    const inThreads = () => {
      threads ??= this.deps.bindings.bindingsOf(sessionId);
      return threads;
    };
    const read = await this.deps.reader.read(session, watch);
    if (read.news.length > 0) await this.deps.poster.post(sessionId, read, watch, inThreads);
    const changed = (await this.deps.display.show(session, watch, inThreads)) || read.news.length > 0;
    for (const observer of this.deps.observers ?? []) await observer.seen(session, watch, inThreads);
    if (session.state === 'asleep') this.deps.followUp.asleep(sessionId);
    if (
      session.state === 'working' &&
      (watch.state !== 'working' || (await this.deps.watches.heldWaiting(sessionId)))
    ) {
      await this.deps.held.wake(sessionId);
    }
    return { changed, mark: read.end, messages: read.news.length };
  }

  /** Devin no longer knows the session. */
  async gone(sessionId: string): Promise<void> {
    this.deps.log.warn({ session_id: sessionId }, 'a watched session no longer exists');
    for (const binding of await this.deps.bindings.bindingsOf(sessionId)) {
      this.deps.slack.tell(binding, { kind: 'gone', sessionId, sessionUrl: this.deps.sessionUrl(sessionId) });
    }
  }
}
