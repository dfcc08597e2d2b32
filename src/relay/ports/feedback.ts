import type { Notice, SessionOutcome, StatusView } from '../model/notices';
import type { Receipt } from '../model/replies';
import type { Binding, MessageRef, ThreadRef } from '../model/threads';

/**
 * What the people in Slack are told, handed over without waiting: the delivery loop calls these and goes on. Each call
 * is queued on the Slack side, paced to Slack's limits and retried there; a receipt may arrive late, or be lost in a
 * long outage, but nothing here can hold up a reply. Only `postInThread` is awaited, because Devin's messages must
 * appear in order.
 */
export interface FeedbackPort {
  /** Shows `receipt` on a person's message (latest wins); `mayShow` lists receipts an earlier run may have left on it (removed if present). */
  receipt(message: MessageRef, receipt: Receipt, mayShow?: Receipt[]): void;
  /** Opens the thread's one trouble notice, or updates it in place while it is open with the same kind. */
  openNotice(thread: ThreadRef, notice: Notice): void;
  /** Rewrites the thread's open trouble notice to say how things ended, and closes it; nothing when none is open. */
  resolveNotice(thread: ThreadRef, notice: Notice): void;
  /** A one-off notice in the thread (rejected, gone, transitions, mute...). Kept in order with posts in that channel. */
  tell(thread: ThreadRef, notice: Notice): void;
  /** A notice only `userId` sees, in the thread (an answer to a keyword). */
  tellPrivately(thread: ThreadRef, userId: string, notice: Notice): void;
  /** The session's state on the thread's root message (coalesced per root message). */
  status(binding: Binding, view: StatusView): void;
  /** Whether the thread shows that Devin is working (set while it works, renewed while it goes on, then cleared). */
  working(thread: ThreadRef, working: boolean): void;
  /**
   * Shows the indicator again where it was last told working and Slack may have let it lapse: called at each polling
   * tick, since a session that works in silence is read only when it changes.
   */
  keepWorking?(): void;
  /** How the session ended, on the thread's root message: shown once, however often it is told. */
  outcome(binding: Binding, outcome: SessionOutcome): void;
  /** Posts a message in a thread, awaited, paced with the channel's other posts (Devin's messages, in order). */
  postInThread(thread: ThreadRef, text: string): Promise<void>;
  /** Devin's Markdown (or words a person wrote in Devin's web app) as Slack messages. */
  sessionMessageChunks(message: { markdown: string; author?: string }): string[];
}
