import type { MessageShortcut } from '@slack/bolt';
import type { ReplyDraft, SharedFile } from '../../relay/model/replies';
import { sharedFiles } from './shared-files';

/** The Slack message a shortcut was used on, as plain values. */
export interface ShortcutMessage {
  team: string;
  channel: string;
  ts: string;
  /** Its thread, when it is a reply (or a thread's parent). */
  threadTs?: string;
  /** Its author; unset for an app's message without a user. */
  user?: string;
  userTeam?: string;
  botId?: string;
  appId?: string;
  subtype?: string;
  text: string;
  /** Its files, as a reply's are kept: fetched from Slack and uploaded to Devin on the way. */
  files?: SharedFile[];
}

/** Who used the shortcut, and how to answer them. */
export interface ShortcutSender {
  team: string;
  userId: string;
  userTeam?: string;
  responseUrl?: string;
}

/** New words from a person; joins, edits, deletions and the like are not. */
const SENDABLE_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

export const FROM_AN_APP = "That message is from an app or a bot; only people's messages can be sent to Devin.";
export const NOT_WORDS = 'That is not a message with words to send to Devin (a join, an edit or the like).';
export const NO_WORDS = 'That message has no words or files to send to Devin.';

/** The message the shortcut was used on (its author's workspace when Slack says), in the workspace `team`. */
export function messageOf(shortcut: MessageShortcut, team: string): ShortcutMessage {
  const m = shortcut.message;
  const files = sharedFiles(m.files);
  const userTeam = m.user_team ?? m.team;
  return {
    team,
    channel: shortcut.channel.id,
    ts: m.ts,
    ...(typeof m.thread_ts === 'string' ? { threadTs: m.thread_ts } : {}),
    ...(typeof m.user === 'string' ? { user: m.user } : {}),
    ...(typeof userTeam === 'string' ? { userTeam } : {}),
    ...(typeof m.bot_id === 'string' ? { botId: m.bot_id } : {}),
    ...(typeof m.app_id === 'string' ? { appId: m.app_id } : {}),
    ...(typeof m.subtype === 'string' ? { subtype: m.subtype } : {}),
    text: typeof m.text === 'string' ? m.text : '',
    ...(files.length ? { files } : {}),
  };
}

/**
 * Why a message cannot be sent to Devin, in one sentence; undefined when it can. Messages from apps and bots are not
 * sent, as they are left out of a session's thread context: they would be a way to give instructions to a session.
 */
export function unsendable(message: ShortcutMessage): string | undefined {
  if (message.botId || message.appId || message.subtype === 'bot_message' || !message.user) return FROM_AN_APP;
  if (!SENDABLE_SUBTYPES.has(message.subtype)) return NOT_WORDS;
  if (!message.text.trim() && !message.files?.length) return NO_WORDS;
  return undefined;
}

/** The message as a reply draft sent by the person who used the shortcut, naming its author when that is someone else. */
export function replyDraft(message: ShortcutMessage, sender: ShortcutSender, botUserId?: string): ReplyDraft {
  return {
    user: sender.userId,
    ...(sender.userTeam ? { userTeam: sender.userTeam } : {}),
    text: message.text,
    ...(botUserId ? { botUserId } : {}),
    ...(message.files?.length ? { files: message.files } : {}),
    ...(message.user && message.user !== sender.userId ? { writtenBy: message.user } : {}),
  };
}
