import type { DevinSession } from '../devin/devin-api';
import { sessionWebUrl } from '../devin/session-ref';
import type { Logger } from '../logger';
import type { ReplyQueue } from '../queue/reply-queue';
import type { Deliverer } from './deliverer';
import type { FeedbackPort } from './feedback-port';
import type { PostProgress } from './post-progress';
import type { RelayedTexts } from './relayed-texts';
import { type PollMark, sessionNews, unhandledMessages } from './session-news';
import { detailKey, type SessionState, stateDetail } from './session-state';
import { pullRequestsOf, shownPullRequests, tenths, transitionNotices } from './session-transitions';
import type { SessionWatch, SessionWatches } from './session-watches';
import type { ThreadBindings } from './thread-bindings';
import type { Binding, StatusView, ThreadRef } from './types';

export interface ConversationDeps {
  bindings: ThreadBindings;
  watches: SessionWatches;
  relayed: RelayedTexts;
  progress: PostProgress;
  queue: ReplyQueue;
  deliverer: Deliverer;
  slack: FeedbackPort;
  log: Logger;
  now: () => number;
  /** How soon to look again after a reply reached Devin (an answer usually follows). */
  soonMs: number;
  /** A reply wakes an asleep session (Devin's API v3): the thread is told so, rather than that replies are held. */
  replyWakes?: boolean;
}

/** What delivery knows of a reply that reached Devin. */
export interface DeliveredReply {
  /** The session was asleep and the reply woke it. */
  woke?: boolean;
  /** The thread it came from (none for `/devin say`). */
  thread?: ThreadRef;
}

/** What one poll changed: news (which keeps polling frequent), and the mark to record with the watch. */
export interface PollOutcome {
  changed: boolean;
  mark: PollMark | undefined;
}

/**
 * Brings Devin's side of a session into its threads: new messages once and in order (no echoes of relayed replies),
 * the state on each root message, a message for transitions that need people, and held replies sent on wake.
 */
export class SessionConversation {
  /** Sessions whose waking by a reply a thread was told of, since polling last saw them asleep. */
  private readonly woken = new Set<string>();

  constructor(private readonly deps: ConversationDeps) {}

  /**
   * Applies one poll. The mark is saved with the watch after each message posted (what was posted is never posted
   * again); a mark that only moved over skipped messages and echoes is returned for the poller's own write, unless
   * echoes were matched: their relayed texts are forgotten only once a saved mark is past them.
   */
  async update(session: DevinSession, watch: SessionWatch, state: SessionState | undefined): Promise<PollOutcome> {
    const sessionId = session.session_id;
    let threads: Binding[] | undefined;
    const inThreads = async () => {
      threads ??= await this.threads(sessionId);
      return threads;
    };
    const { unhandled, end } = unhandledMessages(session.messages, watch.mark, session.messagesRead);
    if (unhandled.length > 0) {
      const person = unhandled.some((u) => u.message.type === 'user_message');
      const news = sessionNews(unhandled, person ? await this.deps.relayed.list(sessionId) : []);
      let progress = await this.deps.progress.get(sessionId);
      const echoes: string[] = [];
      const save = async (mark: PollMark | undefined) => {
        await this.deps.watches.save({ ...watch, mark });
        await this.deps.relayed.forget(sessionId, echoes.splice(0));
      };
      for (const item of news) {
        if (item.kind === 'echo') echoes.push(item.relayed);
        if (item.kind !== 'devin' && item.kind !== 'person') continue;
        const message = item.kind === 'devin' ? { markdown: item.text } : { markdown: item.text, author: item.author };
        const chunks = this.deps.slack.sessionMessageChunks(message);
        const done = progress?.eventId === item.eventId ? progress.done : [];
        const recorded = await this.post(sessionId, item.eventId, chunks, await inThreads(), done);
        await save(item.mark);
        if (recorded || progress) await this.deps.progress.clear(sessionId);
        progress = undefined;
      }
      if (echoes.length > 0) await save(end);
    }
    let changed = unhandled.length > 0;
    const pullRequests = pullRequestsOf(session);
    const known = shownPullRequests(watch);
    const fresh = pullRequests.filter((pr) => !known.some((k) => k.url === pr.url)).map((pr) => pr.url);
    const movedOn = pullRequests.some((pr) => known.some((k) => k.url === pr.url && k.state !== pr.state));
    const detail = state ? stateDetail(session) : watch.detail;
    const detailChanged = detailKey(detail) !== detailKey(watch.detail);
    const spent = tenths(session.acusConsumed) !== tenths(watch.acusConsumed);
    if (state && (state !== watch.state || fresh.length > 0 || movedOn || detailChanged || spent)) {
      const view: StatusView = {
        state,
        ...(detail ? { detail } : {}),
        ...(pullRequests.length ? { pullRequests } : {}),
        ...(session.acusConsumed === undefined ? {} : { acusConsumed: session.acusConsumed }),
      };
      for (const binding of await inThreads()) if (binding.statusTs) this.deps.slack.status(binding, view);
      changed ||= state !== watch.state || fresh.length > 0 || detailChanged;
    }
    if (state === 'asleep') this.woken.delete(sessionId);
    const notices = transitionNotices({
      sessionUrl: sessionWebUrl(sessionId),
      before: watch.state,
      after: state,
      detailChanged,
      detail,
      freshPullRequests: fresh,
      replyWakes: this.deps.replyWakes === true,
      ...(session.acusConsumed === undefined ? {} : { acusConsumed: session.acusConsumed }),
    });
    for (const notice of notices)
      for (const binding of await inThreads()) if (!binding.muted) this.deps.slack.tell(binding, notice);
    if (state === 'working' && (watch.state !== 'working' || (await this.deps.watches.heldWaiting(sessionId)))) {
      await this.wake(sessionId);
    }
    return { changed, mark: end };
  }

  /**
   * Posts one message's chunks in every unmuted thread, recording each part under the progress key as it goes, so
   * that a failure half way (Slack rate limiting for too long) resumes where it stopped instead of posting the first
   * chunks twice. The last part needs no record: the message's mark is saved right after it. True when it recorded.
   */
  private async post(
    sessionId: string,
    eventId: string,
    chunks: string[],
    threads: Binding[],
    alreadyDone: string[],
  ): Promise<boolean> {
    const done = new Set(alreadyDone);
    const parts: Array<{ key: string; run: () => Promise<unknown> }> = [];
    for (const binding of threads) {
      const thread = `${binding.channel}:${binding.threadTs}`;
      if (binding.muted) {
        const run = () =>
          this.deps.bindings.update(binding, (b) => ({ skippedWhileMuted: (b.skippedWhileMuted ?? 0) + 1 }));
        parts.push({ key: `${thread}:muted`, run });
      } else {
        for (const [index, text] of chunks.entries()) {
          parts.push({ key: `${thread}:${index}`, run: () => this.deps.slack.postInThread(binding, text) });
        }
      }
    }
    const todo = parts.filter((part) => !done.has(part.key));
    for (const [index, part] of todo.entries()) {
      await part.run();
      done.add(part.key);
      if (index < todo.length - 1) await this.deps.progress.record(sessionId, { eventId, done: [...done] });
    }
    return todo.length > 1;
  }

  /** Devin no longer knows the session. */
  async gone(sessionId: string): Promise<void> {
    this.deps.log.warn({ sessionId }, 'a watched session no longer exists');
    for (const binding of await this.threads(sessionId)) {
      this.deps.slack.tell(binding, { kind: 'gone', sessionId, sessionUrl: sessionWebUrl(sessionId) });
    }
  }

  /** A reply is about to be sent: remember its words, so that the session's copy is not echoed into Slack. */
  async sending(sessionId: string, text: string): Promise<void> {
    await this.deps.relayed.add(sessionId, text);
  }

  /**
   * A reply reached Devin: an answer usually follows, so look again soon. A session that had ended (and left the
   * schedule) is scheduled again, so that its answer to a reply in an old thread still arrives; the poll that finds
   * it ended again takes it out.
   */
  async delivered(sessionId: string, reply: DeliveredReply = {}): Promise<void> {
    // Once, briefly, in the thread whose reply woke it; not again until polling sees it asleep once more.
    if (reply.woke && reply.thread && !this.woken.has(sessionId)) {
      this.woken.add(sessionId);
      this.deps.slack.tell(reply.thread, { kind: 'woke', sessionUrl: sessionWebUrl(sessionId) });
    }
    await this.deps.watches.schedule.soon(sessionId, this.deps.now() + this.deps.soonMs);
  }

  /** A reply was held: the next poll that finds the session working sends it. */
  async held(sessionId: string): Promise<void> {
    await this.deps.watches.holdWaiting(sessionId);
  }

  private async wake(sessionId: string): Promise<void> {
    await this.deps.watches.clearHeld(sessionId);
    const woken = await this.deps.queue.setStates(sessionId, ['held'], 'queued');
    if (woken.length === 0) return;
    this.deps.log.info({ sessionId, replies: woken.length }, 'session is running again; sending held replies');
    await this.deps.deliverer.kick(sessionId);
  }

  private async threads(sessionId: string): Promise<Binding[]> {
    const known = await this.deps.bindings.forSession(sessionId);
    const bindings = await Promise.all((known?.threads ?? []).map((t) => this.deps.bindings.forThread(t)));
    return bindings.filter((b): b is Binding => b !== undefined && b.sessionId === sessionId);
  }
}
