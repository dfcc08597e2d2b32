import type { SessionSnapshot } from './model/devin-session';
import type { SessionOutcome, StatusView } from './model/notices';
import { detailKey, isFinal, type SessionState } from './model/session-state';
import type { SessionWatch } from './model/session-watch';
import { meterStep } from './model/spend';
import type { Binding } from './model/threads';
import type { FeedbackPort } from './ports/feedback';
import type { SessionArchives } from './session-archives';
import type { SessionEnd, SessionEnds } from './session-ends';
import { shownPullRequests, transitionNotices } from './session-transitions';
import type { SessionWatches } from './session-watches';

export interface StateDisplayDeps {
  /** Who ended a session from Slack. */
  ends: Pick<SessionEnds, 'endedBy'>;
  /** Who archived a session from Slack: its root keeps saying so, and the thread is not told it sleeps. */
  archives?: Pick<SessionArchives, 'archivedBy'>;
  watches: Pick<SessionWatches, 'lastSteerer'>;
  slack: Pick<FeedbackPort, 'status' | 'outcome' | 'tell' | 'working'>;
  /** A session's address on Devin's web app, for the notices. */
  sessionUrl: (sessionId: string) => string;
  /** Told when a poll finds the session's status changed (or a new pull request); must not wait on anything. */
  onStatusChange?: (sessionId: string, state: SessionState) => void;
  /** A reply wakes an asleep session: the thread is told so, rather than that replies are held. */
  replyWakes?: boolean;
  /** The session's ACU cap, when known: its spend is shown as a meter, edited when the meter moves. */
  capOf?: (sessionId: string) => Promise<number | undefined>;
  /** Each ended session gets a closing summary (`ClosingSummaries`): the thread is not told of the end here too. */
  summarizes?: boolean;
}

/**
 * Shows what a poll says of a session's state, in each of its threads: the root message (updated when the state, the
 * pull requests, the spend or the title changed), the reaction on how it ended, the messages for transitions that need
 * people (the one for a wait mentions the thread's starter and whoever steered the session last), and the working
 * indicator.
 */
export class StateDisplay {
  constructor(private readonly deps: StateDisplayDeps) {}

  /** True when anything people care about changed. */
  async show(session: SessionSnapshot, watch: SessionWatch, threads: () => Promise<Binding[]>): Promise<boolean> {
    const sessionId = session.id;
    const { state, pullRequests } = session;
    const { slack } = this.deps;
    let changed = false;
    const known = shownPullRequests(watch);
    const fresh = pullRequests.filter((pr) => !known.some((k) => k.url === pr.url)).map((pr) => pr.url);
    const movedOn = pullRequests.some((pr) => known.some((k) => k.url === pr.url && k.state !== pr.state));
    const detail = state ? session.detail : watch.detail;
    const detailChanged = detailKey(detail) !== detailKey(watch.detail);
    const cap = session.acusConsumed === undefined ? undefined : await this.deps.capOf?.(sessionId);
    // The spend alone edits the root only when its meter moves (a tenth of the cap; a tenth of an ACU without one).
    const spent = meterStep(session.acusConsumed, cap) !== meterStep(watch.acusConsumed, cap);
    const title = session.title || undefined;
    const newTitle = title !== undefined && title !== watch.title;
    // Ended from Slack: the root says by whom, and the thread, told so then, is not told that Devin finished.
    const ended = isFinal(state) ? await this.deps.ends.endedBy(sessionId) : undefined;
    const archived = state === 'asleep' ? await this.deps.archives?.archivedBy(sessionId) : undefined;
    if (state && (state !== watch.state || fresh.length > 0 || movedOn || detailChanged || spent || newTitle)) {
      const view: StatusView = {
        state,
        ...(detail ? { detail } : {}),
        ...(pullRequests.length ? { pullRequests } : {}),
        ...(session.acusConsumed === undefined ? {} : { acusConsumed: session.acusConsumed }),
        ...(cap ? { acuCap: cap } : {}),
        ...(title ? { title } : {}),
        ...(ended ? { endedBy: ended.name } : {}),
        ...(archived ? { archivedBy: archived.name } : {}),
      };
      for (const binding of await threads()) if (binding.statusTs) slack.status(binding, view);
      this.deps.onStatusChange?.(sessionId, state);
      changed = state !== watch.state || fresh.length > 0 || detailChanged || newTitle;
    }
    if (state && state !== watch.state) {
      const pullRequestUrl = pullRequests[0]?.url ?? known[0]?.url;
      const outcome = outcomeOf(session, state, { pullRequestUrl, ended });
      if (outcome) for (const binding of await threads()) slack.outcome(binding, outcome);
    }
    const notices = transitionNotices({
      ...(archived ? { archived: true } : {}),
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
    const ends = new Set(['finished', 'expired', 'errored']);
    for (const notice of notices) {
      if (this.deps.summarizes && ends.has(notice.kind)) continue;
      for (const binding of await threads()) {
        if (binding.muted) continue;
        const mention = [...new Set([binding.boundBy, steerer].filter((id): id is string => Boolean(id)))];
        slack.tell(binding, notice.kind === 'waiting' ? { ...notice, mention } : notice);
      }
    }
    // Shown while the session works (renewed on the Slack side), cleared when it waits, sleeps or ends.
    if (state === 'working' || (state && watch.state === 'working')) {
      for (const binding of await threads()) slack.working(binding, state === 'working');
    }
    return changed;
  }
}

/**
 * How an ended session went: a session that finished with a pull request, or with a last word from Devin (its summary),
 * succeeded (one ended from Slack only with a pull request); an expired or failed one failed. None while it goes on.
 */
function outcomeOf(
  session: SessionSnapshot,
  state: SessionState,
  { pullRequestUrl, ended }: { pullRequestUrl: string | undefined; ended: SessionEnd | undefined },
): SessionOutcome | undefined {
  if (state === 'expired' || state === 'error') return 'failed';
  if (state !== 'finished') return undefined;
  if (pullRequestUrl) return 'succeeded';
  const summary = !ended && session.messages.at(-1)?.from === 'devin';
  return summary ? 'succeeded' : undefined;
}
