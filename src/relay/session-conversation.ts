import type { Logger } from '../lib/logger';
import type { Deliverer } from './deliverer';
import { detailKey, isFinal, type SessionState, stateDetail } from './model/session-state';
import type { Binding, Reply, SessionOutcome, StatusView } from './model/types';
import type { DevinSession } from './ports/devin';
import type { FeedbackPort } from './ports/feedback';
import type { FilesFromDevin } from './ports/files';
import type { ReplyQueue } from './ports/reply-queue';
import type { PostProgress } from './post-progress';
import type { RelayedTexts } from './relayed-texts';
import type { SessionEnd, SessionEnds } from './session-ends';
import { type PollMark, sessionNews, unhandledMessages } from './session-news';
import { pullRequestsOf, shownPullRequests, tenths, transitionNotices } from './session-transitions';
import type { SessionWatch, SessionWatches } from './session-watches';
import type { ThreadBindings } from './thread-bindings';

export interface ConversationDeps {
  bindings: ThreadBindings;
  watches: SessionWatches;
  relayed: RelayedTexts;
  progress: PostProgress;
  queue: ReplyQueue;
  deliverer: Deliverer;
  /** Who ended a session from Slack. */
  ends: Pick<SessionEnds, 'endedBy'>;
  slack: FeedbackPort;
  /** Devin's attachments, posted in the thread as files after the message that names them. */
  files?: FilesFromDevin;
  log: Logger;
  now: () => number;
  /** A session's address on Devin's web app, for the notices. */
  sessionUrl: (sessionId: string) => string;
  /** How soon to look again after a reply reached Devin (an answer usually follows). */
  soonMs: number;
  /** Told when a poll finds the session's status changed (or a new pull request); must not wait on anything. */
  onStatusChange?: (sessionId: string, state: SessionState) => void;
  /** A reply wakes an asleep session (Devin's API v3): the thread is told so, rather than that replies are held. */
  replyWakes?: boolean;
}

/** What one poll changed: news (which keeps polling frequent), and the mark to record with the watch. */
export interface PollOutcome {
  changed: boolean;
  mark: PollMark | undefined;
  /** The session's messages this poll saw for the first time (Devin's, people's, and echoes of relayed replies). */
  messages: number;
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
        const { urls, text } = this.deps.files?.find(item.text) ?? { urls: [], text: item.text };
        const message = item.kind === 'devin' ? { markdown: text } : { markdown: text, author: item.author };
        // A message that only attaches files is shown as the files.
        const chunks = urls.length > 0 && text === '' ? [] : this.deps.slack.sessionMessageChunks(message);
        const done = progress?.eventId === item.eventId ? progress.done : [];
        const recorded = await this.post(sessionId, item.eventId, { chunks, urls }, await inThreads(), done);
        await save(item.mark);
        if (recorded || progress) await this.deps.progress.clear(sessionId);
        progress = undefined;
      }
      if (echoes.length > 0) await save(end);
    }
    const changed = (await this.showState(session, watch, state, inThreads)) || unhandled.length > 0;
    if (state === 'working' && (watch.state !== 'working' || (await this.deps.watches.heldWaiting(sessionId)))) {
      await this.wake(sessionId);
    }
    return { changed, mark: end, messages: unhandled.length };
  }

  /**
   * What the poll says of the session's state, in each thread: the root message (updated when the state, the pull
   * request or the title changed), the reaction on how it ended, the messages for transitions that need people (the
   * one for a wait mentions the thread's starter and whoever steered the session last), and the working indicator.
   * True when anything changed.
   */
  private async showState(
    session: DevinSession,
    watch: SessionWatch,
    state: SessionState | undefined,
    inThreads: () => Promise<Binding[]>,
  ): Promise<boolean> {
    const sessionId = session.session_id;
    const { slack } = this.deps;
    let changed = false;
    const pullRequests = pullRequestsOf(session);
    const known = shownPullRequests(watch);
    const fresh = pullRequests.filter((pr) => !known.some((k) => k.url === pr.url)).map((pr) => pr.url);
    const movedOn = pullRequests.some((pr) => known.some((k) => k.url === pr.url && k.state !== pr.state));
    const detail = state ? stateDetail(session) : watch.detail;
    const detailChanged = detailKey(detail) !== detailKey(watch.detail);
    const spent = tenths(session.acusConsumed) !== tenths(watch.acusConsumed);
    const title = session.title || undefined;
    const newTitle = title !== undefined && title !== watch.title;
    // Ended from Slack: the root says by whom, and the thread, told so then, is not told that Devin finished.
    const ended = isFinal(state) ? await this.deps.ends.endedBy(sessionId) : undefined;
    if (state && (state !== watch.state || fresh.length > 0 || movedOn || detailChanged || spent || newTitle)) {
      const view: StatusView = {
        state,
        ...(detail ? { detail } : {}),
        ...(pullRequests.length ? { pullRequests } : {}),
        ...(session.acusConsumed === undefined ? {} : { acusConsumed: session.acusConsumed }),
        ...(title ? { title } : {}),
        ...(ended ? { endedBy: ended.name } : {}),
      };
      for (const binding of await inThreads()) if (binding.statusTs) slack.status(binding, view);
      this.deps.onStatusChange?.(sessionId, state);
      changed = state !== watch.state || fresh.length > 0 || detailChanged || newTitle;
    }
    if (state && state !== watch.state) {
      const pullRequestUrl = pullRequests[0]?.url ?? known[0]?.url;
      const outcome = outcomeOf(session, state, { pullRequestUrl, ended });
      if (outcome) for (const binding of await inThreads()) slack.outcome(binding, outcome);
    }
    if (state === 'asleep') this.woken.delete(sessionId);
    const notices = transitionNotices({
      sessionUrl: this.deps.sessionUrl(sessionId),
      before: watch.state,
      after: state,
      detailChanged,
      detail,
      freshPullRequests: fresh,
      replyWakes: this.deps.replyWakes === true,
      endedFromSlack: ended !== undefined,
      ...(session.acusConsumed === undefined ? {} : { acusConsumed: session.acusConsumed }),
    });
    const steerer = notices.some((n) => n.kind === 'waiting')
      ? await this.deps.watches.lastSteerer(sessionId)
      : undefined;
    for (const notice of notices) {
      for (const binding of await inThreads()) {
        if (binding.muted) continue;
        const mention = [...new Set([binding.boundBy, steerer].filter((id): id is string => Boolean(id)))];
        slack.tell(binding, notice.kind === 'waiting' ? { ...notice, mention } : notice);
      }
    }
    // Shown while the session works (renewed on the Slack side), cleared when it waits, sleeps or ends.
    if (state === 'working' || (state && watch.state === 'working')) {
      for (const binding of await inThreads()) slack.working(binding, state === 'working');
    }
    return changed;
  }

  /**
   * Posts one message's chunks, then its files, in every unmuted thread, recording each part under the progress key as
   * it goes, so that a failure half way (Slack rate limiting for too long) resumes where it stopped instead of posting
   * the first chunks or files twice. The last part needs no record: the message's mark is saved right after it. True
   * when it recorded.
   */
  private async post(
    sessionId: string,
    eventId: string,
    { chunks, urls }: { chunks: string[]; urls: string[] },
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
        const { files } = this.deps;
        if (files) {
          for (const [index, url] of urls.entries()) {
            parts.push({ key: `${thread}:file:${index}`, run: () => files.share(binding, url) });
          }
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
    this.deps.log.warn({ session_id: sessionId }, 'a watched session no longer exists');
    for (const binding of await this.threads(sessionId)) {
      this.deps.slack.tell(binding, { kind: 'gone', sessionId, sessionUrl: this.deps.sessionUrl(sessionId) });
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
  async delivered(sessionId: string, reply: Reply, { woke = false }: { woke?: boolean } = {}): Promise<void> {
    // Once, briefly, in the thread whose reply woke it; not again until polling sees it asleep once more.
    if (woke && reply.origin.kind === 'thread' && !this.woken.has(sessionId)) {
      this.woken.add(sessionId);
      this.deps.slack.tell(reply.origin.thread, { kind: 'woke', sessionUrl: this.deps.sessionUrl(sessionId) });
    }
    await this.deps.watches.schedule.soon(sessionId, this.deps.now() + this.deps.soonMs);
    const steerer = reply.origin.kind === 'command' ? reply.origin.userId : reply.draft?.user;
    if (steerer) await this.deps.watches.steeredBy(sessionId, steerer, this.deps.now());
  }

  /** A reply was held: the next poll that finds the session working sends it. */
  async held(sessionId: string): Promise<void> {
    await this.deps.watches.holdWaiting(sessionId);
  }

  private async wake(sessionId: string): Promise<void> {
    await this.deps.watches.clearHeld(sessionId);
    const woken = await this.deps.queue.setStates(sessionId, ['held'], 'queued');
    if (woken.length === 0) return;
    this.deps.log.info(
      { session_id: sessionId, replies: woken.length },
      'session is running again; sending held replies',
    );
    await this.deps.deliverer.kick(sessionId);
  }

  private threads(sessionId: string): Promise<Binding[]> {
    return this.deps.bindings.bindingsOf(sessionId);
  }
}

/**
 * How an ended session went: a session that finished with a pull request, or with a last word from Devin (its summary),
 * succeeded (one ended from Slack only with a pull request); an expired or failed one failed. None while it goes on.
 */
function outcomeOf(
  session: DevinSession,
  state: SessionState,
  { pullRequestUrl, ended }: { pullRequestUrl: string | undefined; ended: SessionEnd | undefined },
): SessionOutcome | undefined {
  if (state === 'expired' || state === 'error') return 'failed';
  if (state !== 'finished') return undefined;
  if (pullRequestUrl) return 'succeeded';
  const summary = !ended && session.messages.at(-1)?.type === 'devin_message';
  return summary ? 'succeeded' : undefined;
}
