import type { SteerPolicy } from '../../config/load-config';
import type { PullRequest } from '../ports/devin';
import type { SessionState, StateDetail } from './session-state';

/** A Slack thread: the channel and the `ts` of its parent message. */
export interface ThreadRef {
  team: string;
  channel: string;
  threadTs: string;
}

/** One Slack message, for receipts. `team` is its workspace: receipts are paced per workspace. */
export interface MessageRef {
  team: string;
  channel: string;
  ts: string;
}

export interface Binding extends ThreadRef {
  sessionId: string;
  sessionUrl: string;
  boundAt: number;
  /** Who started or linked the session here. */
  boundBy?: string;
  /** Who may steer the thread: the policy in force when it was bound (unset on older bindings: the default). */
  policy?: SteerPolicy;
  /** People the starter allowed to steer (`/devin allow`), under the `starter` policy. */
  allowed?: string[];
  /** The app's own message that shows the session's state, updated in place. */
  statusTs?: string;
  /** The words of that message above its status line. */
  statusHeader?: string;
  /** `mute` in the thread: Devin's messages are not posted here (status still is). */
  muted?: boolean;
  /** Devin's messages not posted here since `mute`. */
  skippedWhileMuted?: number;
}

export type ReplyState = 'queued' | 'held' | 'failed';

export type ReplyOrigin =
  | { kind: 'thread'; thread: ThreadRef; message: MessageRef; eventId?: string }
  | { kind: 'command'; team: string; userId: string; responseUrl?: string };

/** A Slack message as it arrived, before its author and mentions are looked up. */
export interface ReplyDraft {
  /** Who sent it to Devin: its author, or whoever forwarded it (the Send to Devin shortcut). */
  user: string;
  /** The message's author, when someone else forwarded it. */
  writtenBy?: string;
  /** The author's workspace, when Slack said (Slack Connect). */
  userTeam?: string;
  text: string;
  botUserId?: string;
  files?: SharedFile[];
}

/** A file shared with a Slack message, as Slack described it: enough to fetch it when the message goes to Devin. */
export interface SharedFile {
  id?: string;
  name?: string;
  title?: string;
  /** In bytes, as Slack says: a file over the limit is refused before it is downloaded. */
  size?: number;
  mimetype?: string;
  /** Slack's `url_private_download`, read with the bot token; absent on records from before files were forwarded. */
  url?: string;
}

/**
 * What became of one file of a message on its way to Devin: the URL Devin gave it (for its `ATTACHMENT:` line), or why
 * it could not be attached (completing "Could not attach "<name>": …"). `key` is the file's Slack id (or its place).
 */
export type FileOutcome = { key: string; name: string } & ({ url: string } | { problem: string });

/** A reply on its way to a Devin session, recorded before its first delivery attempt. */
export interface Reply {
  id: string;
  sessionId: string;
  /** The words Devin reads, author included; empty until written from `draft`, before the first attempt. */
  text: string;
  /** The message as it arrived: Slack's answer waits only for the record, not for looking names up. */
  draft?: ReplyDraft;
  /** Sort key: the order in which the replies were written. */
  order: string;
  state: ReplyState;
  origin: ReplyOrigin;
  receivedAt: number;
  /** When a POST of this reply was first attempted (set before the request goes out). */
  firstAttemptAt?: number;
  attempts: number;
  /** A POST went out and no clear answer came back: look for it in the session before sending again. */
  uncertain?: boolean;
  /** It was held or failed once; its delivery closes the thread's notice. */
  wasHeld?: boolean;
  problem?: string;
  /** Its files dealt with so far, each recorded as soon as it is: a retry or a restart uploads none of them again. */
  attachments?: FileOutcome[];
  /** Its Slack message was deleted while a request with it was out: it is never sent again. */
  withdrawn?: boolean;
  /** How many times its Slack message was edited before it reached Devin (its draft holds the latest words). */
  revisions?: number;
}

/** `refused`: not recorded, because too many replies wait in its session (or from its author there). */
export type Receipt = 'delivered' | 'retrying' | 'held' | 'failed' | 'gone' | 'refused';

/** How an ended session went: finished with a pull request or a last word from Devin, or expired or failed. */
export type SessionOutcome = 'succeeded' | 'failed';

/** What the people in a thread (or the person who used a command) are told. */
export type Notice =
  | { kind: 'paused'; sessionId: string; sessionUrl: string; detail: string; held: number }
  | { kind: 'failed'; sessionId: string; sessionUrl: string; reason: string; held: number }
  /** The key was refused; `permission`: the one the service user lacks (API v3's 403). */
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
   * `replyWakes`: a reply here wakes the session (API v3); otherwise replies are held until it wakes. `quota`: it is
   * suspended for want of quota or credits (Devin's reason), which a reply does not overcome.
   */
  | { kind: 'asleep'; sessionUrl: string; replyWakes?: boolean; quota?: string }
  | { kind: 'finished'; sessionUrl: string; pullRequestUrl?: string; acusConsumed?: number }
  | { kind: 'expired'; sessionUrl: string }
  | { kind: 'errored'; sessionUrl: string }
  /** A reply went to a sleeping session and woke it (API v3). */
  | { kind: 'woke'; sessionUrl: string }
  /** Devin sees a person's messages as the service user's (attribution was asked for but is not possible). */
  | { kind: 'acting-as-service-user'; userId: string; reason: AttributionFallback }
  | { kind: 'pull-request'; url: string }
  | { kind: 'files-not-attached'; files: ReadonlyArray<{ name: string; problem: string }> }
  /** Someone ended the session from Slack (`by`: their name). */
  | { kind: 'ended'; by: string }
  /** The answer to `EXIT`: End session, to press and confirm. */
  | { kind: 'end-confirm'; sessionId: string; sessionUrl: string }
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
  | { kind: 'start-limited'; scope: 'person' | 'workspace'; limit: number; retryAt: number };

/** Why a person's message reaches Devin as the service user's rather than theirs. */
export type AttributionFallback =
  /** Slack gave no email for them (the app lacks the `users:read.email` scope, or the profile has none). */
  | { kind: 'no-email' }
  /** Devin's organization has no member with their email. */
  | { kind: 'not-a-member' }
  /** The service user lacks a permission attribution needs (or the person lacks `UseDevinSessions`). */
  | { kind: 'missing-permission'; permission: 'ViewOrgMembership' | 'ImpersonateOrgSessions' };

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
  /** Every pull request with its state (API v3); when set, shown instead of `pullRequestUrl`. */
  pullRequests?: PullRequest[];
  /** What the session has spent so far. */
  acusConsumed?: number;
}
