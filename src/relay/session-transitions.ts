import type { PullRequest } from './model/devin-session';
import type { Notice } from './model/notices';
import type { SessionState, StateDetail } from './model/session-state';
import type { SessionWatch } from './model/session-watch';

export interface Transition {
  sessionUrl: string;
  before: SessionState | undefined;
  after: SessionState | undefined;
  /** The detail changed (out of quota while asleep, an approval while waiting) even if the state did not. */
  detailChanged: boolean;
  /** Archived from Slack: its sleep is not news. */
  archived?: boolean;
  detail: StateDetail | undefined;
  freshPullRequests: string[];
  replyWakes: boolean;
  acusConsumed?: number;
  /** Someone ended the session from Slack: the thread was told then, and is not told that Devin finished. */
  endedFromSlack?: boolean;
}

/** The messages a change of state deserves in the thread: the ones that need people, and new pull requests. */
export function transitionNotices(t: Transition): Notice[] {
  const { sessionUrl, after, detail } = t;
  const notices: Notice[] = [];
  let pullRequests = t.freshPullRequests;
  if (after && (after !== t.before || t.detailChanged)) {
    if (after === 'waiting')
      notices.push({ kind: 'waiting', sessionUrl, ...(detail?.kind === 'approval' ? { approval: true } : {}) });
    // Archived from Slack: the thread was told so, and a reply does not continue it.
    if (after === 'asleep' && !t.archived) {
      const quota =
        detail?.kind === 'quota' ? { quota: detail.reason, ...(detail.words ? { quotaWords: detail.words } : {}) } : {};
      notices.push({ kind: 'asleep', sessionUrl, ...(t.replyWakes ? { replyWakes: true } : {}), ...quota });
    }
    if (after === 'expired') notices.push({ kind: 'expired', sessionUrl });
    if (after === 'error') notices.push({ kind: 'errored', sessionUrl });
    if (after === 'finished' && after !== t.before && !t.endedFromSlack) {
      const [first, ...others] = pullRequests;
      notices.push({
        kind: 'finished',
        sessionUrl,
        ...(first ? { pullRequestUrl: first } : {}),
        ...(t.acusConsumed === undefined ? {} : { acusConsumed: t.acusConsumed }),
      });
      pullRequests = others;
    }
  }
  for (const url of pullRequests) notices.push({ kind: 'pull-request', url });
  return notices;
}

/** The pull requests the thread was shown (an older watch knows only one URL). */
export function shownPullRequests(watch: SessionWatch): PullRequest[] {
  if (watch.pullRequests) return watch.pullRequests;
  return watch.pullRequestUrl ? [{ url: watch.pullRequestUrl }] : [];
}
