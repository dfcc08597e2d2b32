import type { AttributionFallback } from './acting';
import type { PullRequest } from './devin-session';
import type { SessionState, StateDetail } from './session-state';
import type { SpendNotice } from './spend-notices';

/** How an ended session went: finished with a pull request or a last word from Devin, or expired or failed. */
export type SessionOutcome = 'succeeded' | 'failed';

/** What the people in a thread (or the person who used a command) are told. */
export type Notice =
  | { kind: 'paused'; sessionId: string; sessionUrl: string; detail: string; held: number }
  | { kind: 'failed'; sessionId: string; sessionUrl: string; reason: string; held: number }
  /** The key was refused; `permission`: the one the service user lacks (Devin's 403). */
  | { kind: 'misconfigured'; sessionId: string; sessionUrl: string; held: number; permission?: string }
  | { kind: 'gone'; sessionId: string; sessionUrl: string }
  | { kind: 'rejected'; sessionId: string; sessionUrl: string; detail: string }
  | { kind: 'held-delivered'; sessionId: string; sessionUrl: string; count: number }
  | { kind: 'not-recorded' }
  /**
   * `mention`: who is pinged (the thread's starter, whoever steered the session last). `approval`: Devin waits for
   * someone to approve, rather than for a reply.
   */
  | { kind: 'waiting'; sessionUrl: string; mention?: string[]; approval?: boolean }
  /**
   * `replyWakes`: a reply here wakes the session; otherwise replies are held until it wakes. `quota`: it is
   * suspended for want of quota or credits (Devin's reason), which a reply does not overcome.
   */
  | { kind: 'asleep'; sessionUrl: string; replyWakes?: boolean; quota?: string; quotaWords?: string }
  | { kind: 'finished'; sessionUrl: string; pullRequestUrl?: string; acusConsumed?: number }
  | { kind: 'expired'; sessionUrl: string }
  | { kind: 'errored'; sessionUrl: string }
  /** A reply went to a sleeping session and woke it. */
  | { kind: 'woke'; sessionUrl: string }
  /** Devin sees a person's messages as the service user's (attribution was asked for but is not possible). */
  | { kind: 'acting-as-service-user'; userId: string; reason: AttributionFallback }
  | { kind: 'pull-request'; url: string }
  | { kind: 'files-not-attached'; files: ReadonlyArray<{ name: string; problem: string }> }
  /** Someone ended the session from Slack (`by`: their name). */
  | { kind: 'ended'; by: string }
  /** The answer to `EXIT`: End session, to press and confirm. */
  | { kind: 'end-confirm'; sessionId: string; sessionUrl: string }
  /** The answer to `archive` (v3): Archive session, to press and confirm. */
  | { kind: 'archive-confirm'; sessionId: string; sessionUrl: string }
  /** The answer to `archive` where the API has no archive (v1). */
  | { kind: 'archive-unavailable' }
  /** Someone archived the session from Slack (`by`: their name). */
  | { kind: 'archived'; by: string }
  /** The answer to `help`: how to use the app. */
  | { kind: 'help' }
  | { kind: 'muted' }
  | { kind: 'unmuted'; skipped: number; sessionUrl: string }
  /** A reply not recorded: `limit` replies already wait in its session (`session`), or from its author there. */
  | { kind: 'over-cap'; scope: 'session' | 'person'; limit: number }
  /** The held replies of the thread were deleted in Slack before they reached Devin: nothing waits any more. */
  | { kind: 'held-cleared'; sessionUrl: string }
  /**
   * A message edited or deleted in Slack after it reached Devin (`maybe`: a request with it went out without a clear
   * answer): Devin keeps the original.
   */
  | { kind: 'too-late'; change: 'edited' | 'deleted'; maybe?: boolean; sessionUrl: string }
  /** A session start refused for a flood: the person (or the workspace) started `limit` in the last hour. */
  | { kind: 'start-limited'; scope: 'person' | 'workspace'; limit: number; retryAt: number }
  /** A start refused because the channel's daily ACU budget (`limit`) is spent; it resets at `retryAt`. */
  | { kind: 'start-limited'; scope: 'channel-budget'; limit: number; retryAt: number }
  | SpendNotice;

/** What the status line of a thread's root message shows. */
export interface StatusView {
  state: SessionState;
  /** Waiting for an approval, out of quota, ended with an error. */
  detail?: StateDetail;
  pullRequestUrl?: string;
  /** The session's title, once Devin has given it one. */
  title?: string;
  /** Who ended the session from Slack (their name), when someone did. */
  endedBy?: string;
  /** Who archived the session from Slack (their name), when someone did. */
  archivedBy?: string;
  /** Every pull request with its state; when set, shown instead of `pullRequestUrl`. */
  pullRequests?: PullRequest[];
  /** What the session has spent so far. */
  acusConsumed?: number;
  /** The most it may spend (its start's `max_acu_limit`), when known: the spend is shown as a meter. */
  acuCap?: number;
}
