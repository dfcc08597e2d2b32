import type { PendingStart } from '../model/starts';

/** A session that was started, as the person is told of it. */
export interface StartedSession {
  sessionId: string;
  sessionUrl: string;
}

/** The app's message that shows the session's state, and the words above its status line. */
export interface StatusMessage {
  statusTs: string;
  statusHeader: string;
}

/**
 * What starting a session needs from Slack: the words of the prompt, and what the people who asked are told. The Slack
 * side chooses the wording; the domain says what happened.
 */
export interface StartPort {
  /**
   * Whether the person who asked may start a session, now that their account can be looked up (a guest, a bot, a
   * stranger's workspace may not); a refused person has been told why.
   */
  vetAuthor(start: PendingStart): Promise<boolean>;
  /** The words Devin starts from (the task, and the thread's earlier messages); '' when the message holds no task. */
  prompt(start: PendingStart): Promise<string>;
  /** Asks the person for a task (the message held none). */
  askForTask(start: PendingStart): Promise<void>;
  /** A command start: posts the root message of the session's thread; undefined when Slack refused (they were told). */
  postRoot(start: PendingStart): Promise<string | undefined>;
  /** Shows in the thread that the session started; the message that shows its state from now on. */
  started(start: PendingStart, session: StartedSession): Promise<StatusMessage | undefined>;
  /** Answers whoever ran a command that the session started (after its status message is known). */
  confirm(start: PendingStart, session: StartedSession): Promise<void>;
  /** Tells them, in one sentence, that no session was started: `reason` from Devin, or undefined for the app's own. */
  failed(start: PendingStart, reason: string | undefined): Promise<void>;
}
