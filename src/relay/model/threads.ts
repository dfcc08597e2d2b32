import type { SteerPolicy } from './access-rules';

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
