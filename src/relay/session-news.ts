import { createHash } from 'node:crypto';
import type { DevinSessionMessage } from '../devin/devin-schemas';

/**
 * How far polling got in a session's message list: the last message handled, by its position, its `event_id` and its
 * timestamp. A poll handles only the messages after it.
 */
export interface PollMark {
  /** Position of the last handled message in the session's list; -1 before the first. */
  index: number;
  eventId?: string;
  timestamp?: string;
  /** Only in a mark converted from an earlier version's record: the ids it had handled, until the next poll. */
  legacySeen?: string[];
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
  return createHash('sha256').update(text.trim().replace(/\s+/g, ' ')).digest('hex').slice(0, 24);
}

/** The mark of the message at `index`; undefined when there is none. */
export function markAt(messages: DevinSessionMessage[], index: number): PollMark | undefined {
  const message = messages[index];
  return message ? { index, eventId: message.event_id, timestamp: message.timestamp } : undefined;
}

/** The mark after every message listed (linking a session: what came before is not posted). */
export function markAtEnd(messages: DevinSessionMessage[]): PollMark | undefined {
  return markAt(messages, messages.length - 1);
}

/**
 * The messages after the mark, in order, and the mark to record once all of them are handled (`end`: the list's last
 * message; the given mark when the list is empty). The mark is found at its position; when the list changed, by its
 * event id; when that is gone, by its timestamp (messages newer than it), so that a change never replays everything.
 */
export function unhandledMessages(
  messages: DevinSessionMessage[],
  mark: PollMark | undefined,
): { unhandled: Unhandled[]; end: PollMark | undefined } {
  const legacy = new Set(mark?.legacySeen ?? []);
  const listed = new Set<string>();
  const unhandled: Unhandled[] = [];
  for (let index = resumeAt(messages, mark); index < messages.length; index += 1) {
    const message = messages[index] as DevinSessionMessage;
    if (!message.event_id || legacy.has(message.event_id) || listed.has(message.event_id)) continue;
    listed.add(message.event_id);
    unhandled.push({ message, mark: markAt(messages, index) as PollMark });
  }
  return { unhandled, end: markAtEnd(messages) ?? mark };
}

/** Where in the list the messages after the mark start. */
export function resumeAt(messages: DevinSessionMessage[], mark: PollMark | undefined): number {
  if (!mark) return 0;
  if (mark.eventId && messages[mark.index]?.event_id === mark.eventId) return mark.index + 1;
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
  return Math.min(mark.index + 1, messages.length);
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
  return a?.index === b?.index && a?.eventId === b?.eventId && a?.legacySeen === b?.legacySeen;
}
