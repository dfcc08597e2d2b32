import { createHash } from 'node:crypto';
import type { MessagesFrom, MessagesRead, SessionMessage } from './model/devin-session';
import type { PollMark } from './model/session-watch';

/** A text this app relayed into the session, waiting to show up there (and not to be posted back). */
export interface RelayedText {
  id: string;
  fingerprint: string;
}

/** A message of the session after the mark, with the mark to record once it is handled. */
export interface Unhandled {
  message: SessionMessage;
  mark: PollMark;
}

/** A message of the session that the thread has not seen. */
export type SessionNews = { eventId: string; mark: PollMark } & (
  | { kind: 'devin'; text: string; attachments: string[] }
  | { kind: 'person'; text: string; author: string; attachments: string[] }
  | { kind: 'echo'; relayed: string }
  | { kind: 'skip' }
);

/** A short, stable fingerprint of a text this app sent, to recognise it when the session lists it. */
export function fingerprint(text: string): string {
  // Its files travel beside its words, whichever way: only the words are compared.
  return createHash('sha256').update(text.trim().replace(/\s+/g, ' ')).digest('hex').slice(0, 24);
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
  messages: SessionMessage[],
  index: number,
  read?: MessagesRead,
  resume: MessagesFrom | undefined = read?.from,
): PollMark | undefined {
  const message = messages[index];
  if (!message) return undefined;
  const position = (read?.from.at ?? 0) + index;
  return {
    index: position,
    eventId: message.id,
    timestamp: message.at,
    ...(resume?.cursor ? { cursor: resume.cursor } : {}),
    ...(resume ? { cursorAt: Math.min(resume.at, position) } : {}),
  };
}

/** The mark after every message listed (linking a session: what came before is not posted). */
export function markAtEnd(messages: SessionMessage[], read?: MessagesRead): PollMark | undefined {
  return markAt(messages, messages.length - 1, read, read?.next);
}

/**
 * The messages after the mark, in order, and the mark to record once all of them are handled (`end`: the list's last
 * message; the given mark when the list is empty). The mark is found at its position; when the list changed, by its
 * event id; when that is gone, by its timestamp (messages newer than it), so that a change never replays everything.
 * `read` says where the list starts in the session (a read from a cursor lists only the end of it).
 */
export function unhandledMessages(
  messages: SessionMessage[],
  mark: PollMark | undefined,
  read?: MessagesRead,
): { unhandled: Unhandled[]; end: PollMark | undefined } {
  const legacy = new Set(mark?.legacySeen ?? []);
  const listed = new Set<string>();
  const unhandled: Unhandled[] = [];
  for (let index = resumeAt(messages, mark, read?.from.at); index < messages.length; index += 1) {
    const message = messages[index] as SessionMessage;
    if (!message.id || legacy.has(message.id) || listed.has(message.id)) continue;
    listed.add(message.id);
    unhandled.push({ message, mark: markAt(messages, index, read) as PollMark });
  }
  return { unhandled, end: markAtEnd(messages, read) ?? mark };
}

/** Where in the list (which starts at position `offset` of the session's) the messages after the mark start. */
export function resumeAt(messages: SessionMessage[], mark: PollMark | undefined, offset = 0): number {
  if (!mark) return 0;
  if (mark.eventId && messages[mark.index - offset]?.id === mark.eventId) return mark.index - offset + 1;
  if (mark.legacySeen?.length) {
    const seen = new Set(mark.legacySeen);
    const last = messages.findLastIndex((m) => seen.has(m.id));
    if (last >= 0) return last + 1;
  }
  if (mark.eventId) {
    const moved = messages.findLastIndex((m) => m.id === mark.eventId);
    if (moved >= 0) return moved + 1;
  }
  const after = Date.parse(mark.timestamp ?? '');
  if (!Number.isNaN(after)) {
    const newer = messages.findIndex((m) => Date.parse(m.at) > after);
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
    const base = { eventId: m.id, mark };
    if (m.from === 'devin') return { ...base, kind: 'devin', text: m.text, attachments: m.attachments };
    if (m.from !== 'person') return { ...base, kind: 'skip' };
    const print = fingerprint(m.text);
    const echo = waiting.findIndex((r) => r.fingerprint === print);
    if (echo < 0) {
      return { ...base, kind: 'person', text: m.text, author: m.author || 'Someone', attachments: m.attachments };
    }
    const [text] = waiting.splice(echo, 1);
    return { ...base, kind: 'echo', relayed: (text as RelayedText).id };
  });
}

/** Messages Devin listed that could not be read, after the mark (each is skipped; polling says so once). */
export function unreadableAfter(messages: SessionMessage[], mark: PollMark | undefined, read?: MessagesRead) {
  const from = read?.from.at ?? 0;
  return messages.filter((m, i) => !m.id && from + i > (mark?.index ?? -1)).length;
}
