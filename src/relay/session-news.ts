import { createHash } from 'node:crypto';
import { splitAttachmentLines } from '../devin/attachment-lines';
import type { DevinSessionMessage, MessagesFrom, MessagesRead } from './ports/devin';

/**
 * How far polling got in a session's message list: the last message handled, by its position, its `event_id` and its
 * timestamp. A poll handles only the messages after it. Where Devin reads messages from a cursor (API v3), the mark
 * also keeps where the next read starts: Devin's opaque `cursor` and `cursorAt`, the position of the first message it
 * lists (at or before the mark's own message, so that the next read lists that one again and finds the mark).
 */
export interface PollMark {
  /** Position of the last handled message in the session's list; -1 before the first. */
  index: number;
  eventId?: string;
  timestamp?: string;
  /** Only in a mark converted from an earlier version's record: the ids it had handled, until the next poll. */
  legacySeen?: string[];
  cursor?: string;
  cursorAt?: number;
}

/** A text this app relayed into the session, waiting to show up there (and not to be posted back). */
export interface RelayedText {
  id: string;
  fingerprint: string;
}

/** A message of the session after the mark, with the mark to record once it is handled. */
export interface Unhandled {
  message: DevinSessionMessage;
  mark: PollMark;
}

/** A message of the session that the thread has not seen. */
export type SessionNews = { eventId: string; mark: PollMark } & (
  | { kind: 'devin'; text: string }
  | { kind: 'person'; text: string; author: string }
  | { kind: 'echo'; relayed: string }
  | { kind: 'skip' }
);

/** A short, stable fingerprint of a text this app sent, to recognise it when the session lists it. */
export function fingerprint(text: string): string {
  // Without its `ATTACHMENT:` lines: API v3 lists a message without them (its files travel beside it).
  const words = splitAttachmentLines(text).text;
  return createHash('sha256').update(words.trim().replace(/\s+/g, ' ')).digest('hex').slice(0, 24);
}

/** Where the next read of the session's messages starts for this mark (undefined: from the first message). */
export function readFrom(mark: PollMark | undefined): MessagesFrom | undefined {
  if (mark?.cursorAt === undefined) return undefined;
  return { ...(mark.cursor ? { cursor: mark.cursor } : {}), at: mark.cursorAt };
}

/**
 * The mark of the message at `index` in the list read (its position is `read.from.at + index`), with where a next
 * read may start: `resume` (a read's start, before every message it listed; its end, just before its last); undefined
 * when there is no such message.
 */
export function markAt(
  messages: DevinSessionMessage[],
  index: number,
  read?: MessagesRead,
  resume: MessagesFrom | undefined = read?.from,
): PollMark | undefined {
  const message = messages[index];
  if (!message) return undefined;
  const position = (read?.from.at ?? 0) + index;
  return {
    index: position,
    eventId: message.event_id,
    timestamp: message.timestamp,
    ...(resume?.cursor ? { cursor: resume.cursor } : {}),
    ...(resume ? { cursorAt: Math.min(resume.at, position) } : {}),
  };
}

/** The mark after every message listed (linking a session: what came before is not posted). */
export function markAtEnd(messages: DevinSessionMessage[], read?: MessagesRead): PollMark | undefined {
  return markAt(messages, messages.length - 1, read, read?.next);
}

/**
 * The messages after the mark, in order, and the mark to record once all of them are handled (`end`: the list's last
 * message; the given mark when the list is empty). The mark is found at its position; when the list changed, by its
 * event id; when that is gone, by its timestamp (messages newer than it), so that a change never replays everything.
 * `read` says where the list starts in the session (a read from a cursor lists only the end of it).
 */
export function unhandledMessages(
  messages: DevinSessionMessage[],
  mark: PollMark | undefined,
  read?: MessagesRead,
): { unhandled: Unhandled[]; end: PollMark | undefined } {
  const legacy = new Set(mark?.legacySeen ?? []);
  const listed = new Set<string>();
  const unhandled: Unhandled[] = [];
  for (let index = resumeAt(messages, mark, read?.from.at); index < messages.length; index += 1) {
    const message = messages[index] as DevinSessionMessage;
    if (!message.event_id || legacy.has(message.event_id) || listed.has(message.event_id)) continue;
    listed.add(message.event_id);
    unhandled.push({ message, mark: markAt(messages, index, read) as PollMark });
  }
  return { unhandled, end: markAtEnd(messages, read) ?? mark };
}

/** Where in the list (which starts at position `offset` of the session's) the messages after the mark start. */
export function resumeAt(messages: DevinSessionMessage[], mark: PollMark | undefined, offset = 0): number {
  if (!mark) return 0;
  if (mark.eventId && messages[mark.index - offset]?.event_id === mark.eventId) return mark.index - offset + 1;
  if (mark.legacySeen?.length) {
    const seen = new Set(mark.legacySeen);
    const last = messages.findLastIndex((m) => seen.has(m.event_id));
    if (last >= 0) return last + 1;
  }
  if (mark.eventId) {
    const moved = messages.findLastIndex((m) => m.event_id === mark.eventId);
    if (moved >= 0) return moved + 1;
  }
  const after = Date.parse(mark.timestamp ?? '');
  if (!Number.isNaN(after)) {
    const newer = messages.findIndex((m) => Date.parse(m.timestamp) > after);
    return newer < 0 ? messages.length : newer;
  }
  return Math.max(0, Math.min(mark.index - offset + 1, messages.length));
}

/**
 * What each unhandled message is: Devin's words; words a person wrote in Devin's web app; or the echo of a reply this
 * app relayed (never posted back; each relayed text matches one echo). Other kinds are skipped.
 */
export function sessionNews(unhandled: Unhandled[], relayed: RelayedText[]): SessionNews[] {
  const waiting = [...relayed];
  return unhandled.map(({ message: m, mark }): SessionNews => {
    const base = { eventId: m.event_id, mark };
    if (m.type === 'devin_message') return { ...base, kind: 'devin', text: m.message };
    if (m.type !== 'user_message') return { ...base, kind: 'skip' };
    const print = fingerprint(m.message);
    const echo = waiting.findIndex((r) => r.fingerprint === print);
    if (echo < 0) return { ...base, kind: 'person', text: m.message, author: m.username || 'Someone' };
    const [text] = waiting.splice(echo, 1);
    return { ...base, kind: 'echo', relayed: (text as RelayedText).id };
  });
}

export function sameMark(a: PollMark | undefined, b: PollMark | undefined): boolean {
  return (
    a?.index === b?.index &&
    a?.eventId === b?.eventId &&
    a?.legacySeen === b?.legacySeen &&
    a?.cursor === b?.cursor &&
    a?.cursorAt === b?.cursorAt
  );
}

/** Messages Devin listed that could not be read, after the mark (each is skipped; polling says so once). */
export function unreadableAfter(messages: DevinSessionMessage[], mark: PollMark | undefined, read?: MessagesRead) {
  const from = read?.from.at ?? 0;
  return messages.filter((m, i) => !m.event_id && from + i > (mark?.index ?? -1)).length;
}
