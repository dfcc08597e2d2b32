import type { Acting } from './acting';
import type { FileOutcome, SharedFile } from './replies';
import type { AskedOptions, StartOptions } from './start-options';
import type { ThreadRef } from './threads';

/** What asked for the session: it decides where the answer goes and how it is worded. */
export type StartSource = 'mention' | 'direct-message' | 'shortcut' | 'command';

/**
 * A message that asks for a session (`@Devin <task>`, a direct message to the app), or one a person sends to a new
 * session with the Send to Devin shortcut (`shortcut`: `user` is that person, `writtenBy` the message's author).
 */
export interface StartMessage {
  source: 'mention' | 'direct-message' | 'shortcut';
  team: string;
  channel: string;
  ts: string;
  /** Set when the message is a reply inside an existing thread. */
  threadTs?: string;
  user: string;
  text: string;
  eventId?: string;
  botUserId?: string;
  /** Files shared with the message: uploaded to Devin, and sent with the prompt. */
  files?: SharedFile[];
  /** The message's author, when someone else sends it (the shortcut). */
  writtenBy?: string;
  /** Where the person who used the shortcut is answered. */
  responseUrl?: string;
  /** The shortcut's form: the start options as the person left them (the channel's defaults, changed or not). */
  asked?: AskedOptions;
}

/** `/devin new <task>` (a slash command carries no files). */
export interface StartCommand {
  team: string;
  channel: string;
  user: string;
  text: string;
  responseUrl: string;
}

/**
 * A request to start a Devin session, recorded before anything is attempted, with how far it got. It stays in the
 * store until the session exists, its thread is bound and the person has been answered.
 */
export interface PendingStart {
  /** `<team>:<channel>:<ts>` of the message that asked, or `command:<uuid>`. */
  id: string;
  source: StartSource;
  team: string;
  channel: string;
  /** Who asked. */
  user: string;
  /** The task as it arrived, in Slack's markup. */
  text: string;
  receivedAt: number;
  /** A message start: the message that asked. */
  ts?: string;
  /** A message start inside an existing thread: that thread (its earlier messages become context). */
  threadTs?: string;
  eventId?: string;
  botUserId?: string;
  /** A shortcut start: the message's author (the person who asked is `user`). */
  writtenBy?: string;
  /** A command or shortcut start: where the person who asked is answered. */
  responseUrl?: string;
  /** A command start: the root message it posted, whose thread is the session's. */
  rootTs?: string;
  /** A message start: the files shared with it. */
  files?: SharedFile[];
  /** Its files uploaded to Devin so far (or that could not be), each saved once known: a resumed start reuses them. */
  attachments?: FileOutcome[];
  /** The shortcut's form: the start options as the person left them. */
  asked?: AskedOptions;
  /** The options the session is created with (written ones over the channel's defaults), saved once chosen. */
  options?: StartOptions;
  /** The exact words sent to Devin, kept so that a retry sends the same ones (Devin's idempotency matches on them). */
  prompt?: string;
  sessionId?: string;
  sessionUrl?: string;
  /** The service user created the session for the person, and why (`DEVIN_ACT_AS_SLACK_USER`): the thread is told. */
  actedAs?: Acting;
  /** Failed attempts so far, and why the last one failed. */
  attempts: number;
  problem?: string;
}

/** The thread the session is bound to; undefined for a command start whose root message is not posted yet. */
export function threadOf(start: PendingStart): ThreadRef | undefined {
  const threadTs = start.source === 'command' ? start.rootTs : (start.threadTs ?? start.ts);
  return threadTs ? { team: start.team, channel: start.channel, threadTs } : undefined;
}
