import type { DevinSession } from '../devin/devin-schemas';
import { sessionWebUrl } from '../devin/session-ref';
import type { Logger } from '../logger';
import type { ReplyQueue } from '../queue/reply-queue';
import type { Deliverer } from './deliverer';
import type { FeedbackPort } from './feedback-port';
import { fingerprint, sessionNews } from './session-news';
import { isFinal, type SessionState } from './session-state';
import type { SessionWatch, SessionWatches } from './session-watches';
import type { ThreadBindings } from './thread-bindings';
import type { Binding, Notice } from './types';

export interface ConversationDeps {
  bindings: ThreadBindings;
  watches: SessionWatches;
  queue: ReplyQueue;
  deliverer: Deliverer;
  slack: FeedbackPort;
  log: Logger;
  now: () => number;
  /** How soon to look again after a reply reached Devin (an answer usually follows). */
  soonMs: number;
}

/**
 * Brings Devin's side of a session into its threads: new messages once and in order (no echoes of relayed replies),
 * the state on each root message, a message for transitions that need people, and held replies sent on wake.
 */
export class SessionConversation {
  constructor(private readonly deps: ConversationDeps) {}

  /** Applies one poll; true when something changed (which keeps polling frequent). */
  async update(session: DevinSession, watch: SessionWatch, state: SessionState | undefined): Promise<boolean> {
    const sessionId = session.session_id;
    const threads = await this.threads(sessionId);
    let changed = false;
    for (const item of sessionNews(session.messages, watch)) {
      if (item.kind === 'devin' || item.kind === 'person') {
        const message = item.kind === 'devin' ? { markdown: item.text } : { markdown: item.text, author: item.author };
        await this.post(sessionId, item.eventId, this.deps.slack.sessionMessageChunks(message), threads);
      }
      await this.deps.watches.update(sessionId, (w) => {
        const { partial: _done, ...rest } = w;
        return {
          ...rest,
          seen: [...w.seen, item.eventId],
          relayed: item.kind === 'echo' ? without(w.relayed, item.fingerprint) : w.relayed,
        };
      });
      changed = true;
    }
    const pullRequestUrl = session.pull_request?.url ?? undefined;
    const newPullRequest = pullRequestUrl !== undefined && pullRequestUrl !== watch.pullRequestUrl;
    if (state && (state !== watch.state || newPullRequest)) {
      const view = { state, ...(pullRequestUrl ? { pullRequestUrl } : {}) };
      for (const binding of threads) if (binding.statusTs) this.deps.slack.status(binding, view);
      changed = true;
    }
    const notices = transitionNotices(sessionId, watch.state, state, newPullRequest ? pullRequestUrl : undefined);
    for (const notice of notices)
      for (const binding of threads) if (!binding.muted) this.deps.slack.tell(binding, notice);
    if (state === 'working' && (watch.state !== 'working' || watch.heldWaiting)) await this.wake(sessionId);
    return changed;
  }

  /**
   * Posts one message's chunks in every unmuted thread, recording each chunk as it goes, so that a failure half way
   * (Slack rate limiting for too long) resumes where it stopped instead of posting the first chunks twice.
   */
  private async post(sessionId: string, eventId: string, chunks: string[], threads: Binding[]): Promise<void> {
    const current = await this.deps.watches.get(sessionId);
    const done = new Set(current?.partial?.eventId === eventId ? current.partial.done : []);
    for (const binding of threads) {
      const key = `${binding.channel}:${binding.threadTs}`;
      if (binding.muted) {
        if (done.has(`${key}:muted`)) continue;
        await this.deps.bindings.update(binding, (b) => ({ skippedWhileMuted: (b.skippedWhileMuted ?? 0) + 1 }));
        await this.progress(sessionId, eventId, done, `${key}:muted`);
        continue;
      }
      for (const [index, text] of chunks.entries()) {
        if (done.has(`${key}:${index}`)) continue;
        await this.deps.slack.postInThread(binding, text);
        await this.progress(sessionId, eventId, done, `${key}:${index}`);
      }
    }
  }

  private async progress(sessionId: string, eventId: string, done: Set<string>, key: string): Promise<void> {
    done.add(key);
    await this.deps.watches.update(sessionId, (w) => ({ ...w, partial: { eventId, done: [...done] } }));
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
    await this.deps.watches.update(sessionId, (w) => ({ ...w, relayed: [...w.relayed, fingerprint(text)] }));
  }

  /**
   * A reply reached Devin: an answer usually follows, so look again soon. A session that had ended (and was no longer
   * polled) is watched again, so that its answer to a reply in an old thread still arrives.
   */
  async delivered(sessionId: string): Promise<void> {
    const now = this.deps.now();
    const soon = now + this.deps.soonMs;
    const watch = await this.deps.watches.update(sessionId, (w) => ({
      ...w,
      quietPolls: 0,
      nextPollAt: Math.min(w.nextPollAt, soon),
    }));
    // Polling stopped at the session's end; the next poll records its new state.
    if (watch && isFinal(watch.state)) await this.deps.watches.watch(sessionId, now);
  }

  /** A reply was held: the next poll that finds the session working sends it. */
  async held(sessionId: string): Promise<void> {
    await this.deps.watches.update(sessionId, (w) => ({ ...w, heldWaiting: true }));
  }

  private async wake(sessionId: string): Promise<void> {
    await this.deps.watches.update(sessionId, (w) => ({ ...w, heldWaiting: false }));
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

function transitionNotices(
  sessionId: string,
  before: SessionState | undefined,
  after: SessionState | undefined,
  newPullRequest: string | undefined,
): Notice[] {
  const sessionUrl = sessionWebUrl(sessionId);
  const notices: Notice[] = [];
  if (after && after !== before) {
    if (after === 'waiting') notices.push({ kind: 'waiting', sessionUrl });
    if (after === 'asleep') notices.push({ kind: 'asleep', sessionUrl });
    if (after === 'expired') notices.push({ kind: 'expired', sessionUrl });
    if (after === 'finished') {
      notices.push({ kind: 'finished', sessionUrl, ...(newPullRequest ? { pullRequestUrl: newPullRequest } : {}) });
      return notices;
    }
  }
  if (newPullRequest) notices.push({ kind: 'pull-request', url: newPullRequest });
  return notices;
}

function without(list: string[], item: string): string[] {
  const at = list.indexOf(item);
  return at < 0 ? list : [...list.slice(0, at), ...list.slice(at + 1)];
}
