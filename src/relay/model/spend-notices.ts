import type { PullRequest } from './devin-session';

/** How a session ended, as its closing summary says. */
export type ClosingOutcome = 'finished' | 'expired' | 'error' | 'ended';

/** What a thread (or one person) is told about spending: the cap nearly spent, raising it, and the closing summary. */
export type SpendNotice =
  /** 80% of the session's cap is spent; `mention`: who can raise it (its starter, the admins). */
  | { kind: 'cap-near'; sessionUrl: string; spent: number; cap: number; mention: string[] }
  /**
   * `acu:<n>` in a bound thread: `unsupported` (Devin's API cannot change a running session's cap), `refused` (only
   * the starter or an admin may), `invalid` (not a whole number above 0).
   */
  | { kind: 'cap-raise'; outcome: 'unsupported' | 'refused' | 'invalid'; sessionUrl: string; asked?: number }
  /** The one summary a thread gets when its session ends. */
  | {
      kind: 'closing-summary';
      sessionUrl: string;
      outcome: ClosingOutcome;
      /** Who ended it from Slack (their name). */
      endedBy?: string;
      pullRequests: PullRequest[];
      acusConsumed?: number;
      cap?: number;
      /** From its start (or first sighting) to the summary. */
      durationMs?: number;
      /** Devin's session insights, when the organization allows reading them. */
      insights?: string[];
    };
