import type { MessageRef, ThreadRef } from './threads';

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
 * What became of one file of a message on its way to Devin: the URL Devin gave it (sent beside the words), or why
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

/** Who the reply speaks for: the person who ran the command, or who wrote (or forwarded) the message. */
export function authorOf(reply: Pick<Reply, 'origin' | 'draft'>): string | undefined {
  return reply.origin.kind === 'command' ? reply.origin.userId : reply.draft?.user;
}

/** `refused`: not recorded, because too many replies wait in its session (or from its author there). */
export type Receipt = 'delivered' | 'retrying' | 'held' | 'failed' | 'gone' | 'refused';
