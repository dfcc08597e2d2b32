import { convertLegacyWatch } from '../../src/relay/legacy-watch';
import type { SessionMessage } from '../../src/relay/model/devin-session';
import type { PollMark } from '../../src/relay/model/session-watch';
import {
  fingerprint,
  markAtEnd,
  type RelayedText,
  readFrom,
  resumeAt,
  sessionNews,
  unhandledMessages,
  unreadableAfter,
} from '../../src/relay/session-news';

const msg = (
  from: SessionMessage['from'],
  id: string,
  text: string,
  extra: Partial<Pick<SessionMessage, 'at' | 'author' | 'attachments'>> = {},
): SessionMessage => ({ id, from, text, at: '2024-01-01T00:00:00Z', attachments: [], ...extra });

const devin = (eventId: string, minute: number) =>
  msg('devin', eventId, `said ${eventId}`, { at: `2024-01-01T00:${String(minute).padStart(2, '0')}:00Z` });

const relayed = (...texts: string[]): RelayedText[] =>
  texts.map((text, i) => ({ id: `r${i + 1}:${text}`, fingerprint: fingerprint(text) }));

/** A news item without its (empty) list of attachments, as most expectations here are written. */
function withoutAttachments<T extends { attachments: string[] }>({
  attachments: _none,
  ...item
}: T): Omit<T, 'attachments'> {
  return item;
}

/** The news after `mark`, without the marks (checked on their own below). */
function news(messages: SessionMessage[], mark?: PollMark, sent: RelayedText[] = []) {
  return sessionNews(unhandledMessages(messages, mark).unhandled, sent).map(({ mark: _mark, ...item }) =>
    'attachments' in item && item.attachments.length === 0 ? withoutAttachments(item) : item,
  );
}

const ids = (messages: SessionMessage[], mark: PollMark | undefined) =>
  unhandledMessages(messages, mark).unhandled.map((u) => u.message.id);

describe('sessionNews', () => {
  it('returns Devin messages in the order the session lists them', () => {
    expect(news([msg('devin', 'e1', 'first'), msg('devin', 'e2', 'second'), msg('devin', 'e3', 'third')])).toEqual([
      { eventId: 'e1', kind: 'devin', text: 'first' },
      { eventId: 'e2', kind: 'devin', text: 'second' },
      { eventId: 'e3', kind: 'devin', text: 'third' },
    ]);
  });

  it('handles a message listed twice in one answer only once', () => {
    expect(news([msg('devin', 'e1', 'once'), msg('devin', 'e1', 'once')])).toEqual([
      { eventId: 'e1', kind: 'devin', text: 'once' },
    ]);
  });

  it('skips messages without an event id', () => {
    expect(news([msg('devin', '', 'anonymous'), msg('devin', 'e2', 'named')])).toEqual([
      { eventId: 'e2', kind: 'devin', text: 'named' },
    ]);
  });

  it('recognises a relayed reply as an echo by its fingerprint, not as a person writing', () => {
    const sent = relayed('please fix the tests');
    expect(news([msg('person', 'u1', 'please fix the tests')], undefined, sent)).toEqual([
      { eventId: 'u1', kind: 'echo', relayed: sent[0]?.id },
    ]);
  });

  it('matches each relayed text to one echo only: two relayed copies and three listed give two echoes and one person', () => {
    const sent = relayed('yes', 'yes');
    expect(
      news(
        [
          msg('person', 'u1', 'yes', { author: 'Ada' }),
          msg('person', 'u2', 'yes', { author: 'Ada' }),
          msg('person', 'u3', 'yes', { author: 'Ada' }),
        ],
        undefined,
        sent,
      ),
    ).toEqual([
      { eventId: 'u1', kind: 'echo', relayed: sent[0]?.id },
      { eventId: 'u2', kind: 'echo', relayed: sent[1]?.id },
      { eventId: 'u3', kind: 'person', text: 'yes', author: 'Ada' },
    ]);
  });

  it('leaves the relayed texts it was given unchanged', () => {
    const sent = relayed('yes');
    const copy = structuredClone(sent);
    news([msg('person', 'u1', 'yes'), msg('devin', 'e1', 'ok')], undefined, sent);
    expect(sent).toEqual(copy);
  });

  it('matches an echo whatever whitespace Devin adds or folds', () => {
    const sent = relayed('run the tests again');
    expect(news([msg('person', 'u1', '  run   the\n\ntests\tagain \n')], undefined, sent)).toEqual([
      { eventId: 'u1', kind: 'echo', relayed: sent[0]?.id },
    ]);
  });

  it('shows a message that differs in more than whitespace as a person writing', () => {
    expect(
      news([msg('person', 'u1', 'run the tests again!', { author: 'Ada' })], undefined, relayed('run the tests again')),
    ).toEqual([{ eventId: 'u1', kind: 'person', text: 'run the tests again!', author: 'Ada' }]);
  });

  it('skips the initial user message and other kinds of message without showing them', () => {
    expect(news([msg('other', 'i1', 'Build the thing'), msg('other', 't1', 'ls'), msg('devin', 'e1', 'ok')])).toEqual([
      { eventId: 'i1', kind: 'skip' },
      { eventId: 't1', kind: 'skip' },
      { eventId: 'e1', kind: 'devin', text: 'ok' },
    ]);
  });

  it('names a person by username and falls back to "Someone" without one', () => {
    const listed = news([
      msg('person', 'u1', 'a', { author: 'Grace' }),
      msg('person', 'u2', 'b'),
      msg('person', 'u3', 'c', {}),
      msg('person', 'u4', 'd', { author: '' }),
    ]);
    expect(listed.map((n) => ('author' in n ? n.author : n.kind))).toEqual(['Grace', 'Someone', 'Someone', 'Someone']);
  });

  it('gives each item the mark of its own message, to record once it is handled', () => {
    const messages = [devin('e1', 1), devin('e2', 2)];
    const items = sessionNews(unhandledMessages(messages, undefined).unhandled, []);
    expect(items.map((n) => n.mark)).toEqual([
      { index: 0, eventId: 'e1', timestamp: '2024-01-01T00:01:00Z' },
      { index: 1, eventId: 'e2', timestamp: '2024-01-01T00:02:00Z' },
    ]);
  });
});

describe('the high-water mark', () => {
  const list = [devin('e1', 1), devin('e2', 2), devin('e3', 3), devin('e4', 4)];

  it('handles every message of a session that has none handled yet', () => {
    expect(ids(list, undefined)).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('handles only the messages after the mark, found at its position', () => {
    expect(ids(list, { index: 1, eventId: 'e2', timestamp: '2024-01-01T00:02:00Z' })).toEqual(['e3', 'e4']);
  });

  it('handles nothing when the mark is at the end, however long the list', () => {
    const long = Array.from({ length: 2500 }, (_, i) => devin(`m${i}`, i % 60));
    const mark = markAtEnd(long);
    expect(mark).toMatchObject({ index: 2499, eventId: 'm2499' });
    expect(ids(long, mark)).toEqual([]);
    expect(ids([...long, devin('m2500', 59)], mark)).toEqual(['m2500']);
  });

  it('finds the marked message by its event id when the list moved', () => {
    const mark: PollMark = { index: 1, eventId: 'e2', timestamp: '2024-01-01T00:02:00Z' };
    // One message before it is gone: e2 is now at position 0.
    expect(ids([devin('e2', 2), devin('e3', 3)], mark)).toEqual(['e3']);
    // Two were inserted before it: e2 is now at position 3.
    expect(ids([devin('x1', 0), devin('x2', 0), devin('e1', 1), devin('e2', 2), devin('e3', 3)], mark)).toEqual(['e3']);
  });

  it('falls back to the timestamp when the marked message is gone, instead of replaying everything', () => {
    const mark: PollMark = { index: 1, eventId: 'e2', timestamp: '2024-01-01T00:02:00Z' };
    expect(ids([devin('e1', 1), devin('e3', 3), devin('e4', 4)], mark)).toEqual(['e3', 'e4']);
    expect(ids([devin('e1', 1)], mark)).toEqual([]);
  });

  it('falls back to the position when the marked message is gone and its timestamp cannot be read', () => {
    const mark: PollMark = { index: 1, eventId: 'gone', timestamp: 'not a time' };
    expect(ids(list, mark)).toEqual(['e3', 'e4']);
    expect(resumeAt(list, { index: 10, eventId: 'gone' })).toBe(4);
  });

  it('keeps the mark when the session lists no messages at all, so that none are replayed when they come back', () => {
    const mark: PollMark = { index: 3, eventId: 'e4', timestamp: '2024-01-01T00:04:00Z' };
    expect(unhandledMessages([], mark)).toEqual({ unhandled: [], end: mark });
    expect(ids(list, mark)).toEqual([]);
  });

  it('ends at the last message listed, past skipped ones and duplicates', () => {
    const { end } = unhandledMessages([devin('e1', 1), msg('other', 't1', 'ls'), devin('e1', 1)], undefined);
    expect(end).toMatchObject({ index: 2, eventId: 'e1' });
    expect(ids([devin('e1', 1), msg('other', 't1', 'ls'), devin('e1', 1)], end)).toEqual([]);
  });
});

describe('a read from a cursor (API v3), which lists only the end of the session', () => {
  // The session holds 1,000 messages; this read started at position 998 (the last one handled) and lists three.
  const read = { from: { cursor: 'c998', at: 998 }, next: { cursor: 'c1000', at: 1000 } };
  const tail = [devin('m998', 1), devin('m999', 2), devin('m1000', 3)];
  const handled: PollMark = { index: 998, eventId: 'm998', timestamp: '2024-01-01T00:01:00Z' };

  it('finds the mark at its position in the session, not in the list', () => {
    expect(unhandledMessages(tail, handled, read).unhandled.map((u) => u.message.id)).toEqual(['m999', 'm1000']);
    expect(resumeAt(tail, handled, 998)).toBe(1);
    expect(resumeAt(tail, { index: 997, eventId: 'gone', timestamp: 'no time' }, 998)).toBe(0);
  });

  it("marks each message at its session position, with the read's start; the end with where the next read starts", () => {
    const { unhandled, end } = unhandledMessages(tail, handled, read);
    expect(unhandled.map((u) => u.mark)).toEqual([
      { index: 999, eventId: 'm999', timestamp: '2024-01-01T00:02:00Z', cursor: 'c998', cursorAt: 998 },
      { index: 1000, eventId: 'm1000', timestamp: '2024-01-01T00:03:00Z', cursor: 'c998', cursorAt: 998 },
    ]);
    expect(end).toEqual({
      index: 1000,
      eventId: 'm1000',
      timestamp: '2024-01-01T00:03:00Z',
      cursor: 'c1000',
      cursorAt: 1000,
    });
    expect(readFrom(end)).toEqual({ cursor: 'c1000', at: 1000 });
  });

  it('reads from the first message without a mark or without a cursor, and from the first page at position 0', () => {
    expect(readFrom(undefined)).toBeUndefined();
    expect(readFrom({ index: 4, eventId: 'e4' })).toBeUndefined();
    expect(readFrom({ index: 0, eventId: 'e0', cursorAt: 0 })).toEqual({ at: 0 });
    expect(markAtEnd([devin('e0', 0)], { from: { at: 0 }, next: { at: 0 } })).toEqual({
      index: 0,
      eventId: 'e0',
      timestamp: '2024-01-01T00:00:00Z',
      cursorAt: 0,
    });
  });

  it('counts the unreadable messages after the mark only, so that each is reported once', () => {
    const unreadable = msg('other', '', '', { at: '' });
    const listed = [devin('m998', 1), unreadable, devin('m1000', 3), unreadable];
    expect(unreadableAfter(listed, handled, read)).toBe(2);
    expect(unreadableAfter(listed, { index: 999, eventId: '' }, read)).toBe(1);
  });

  it('keeps marks as they were where the whole list is read: no cursor', () => {
    expect(markAtEnd(tail)).toEqual({ index: 2, eventId: 'm1000', timestamp: '2024-01-01T00:03:00Z' });
  });
});

describe('a watch record of an earlier version', () => {
  const record = (seen: string[]) => ({
    sessionId: 'devin-1',
    seen,
    relayed: [fingerprint('sent')],
    quietPolls: 2,
    nextPollAt: 5,
    heldWaiting: true,
  });

  it('becomes a mark at the last message it had seen, with nothing replayed', () => {
    const { watch, moved } = convertLegacyWatch(record(['e1', 'e2', 'e3']));
    expect(watch).toEqual({
      sessionId: 'devin-1',
      quietPolls: 2,
      nextPollAt: 5,
      mark: { index: 2, eventId: 'e3', legacySeen: ['e1', 'e2', 'e3'] },
    });
    expect(moved).toEqual({ relayed: [fingerprint('sent')], heldWaiting: true });
    expect(ids(list(), watch.mark)).toEqual(['e4']);
  });

  it('resumes after the last listed message it had seen, even when its capped list was out of order', () => {
    // The earlier version dropped the oldest ids past 2,000 and then saw them again as new: they came last.
    const seen = [...Array.from({ length: 1999 }, (_, i) => `m${i + 1}`), 'm0'];
    const messages = Array.from({ length: 2000 }, (_, i) => devin(`m${i}`, i % 60));
    const { watch } = convertLegacyWatch(record(seen));
    expect(ids(messages, watch.mark)).toEqual([]);
    expect(ids([...messages, devin('new', 59)], watch.mark)).toEqual(['new']);
  });

  it('with nothing seen, handles every message', () => {
    const { watch } = convertLegacyWatch(record([]));
    expect(watch.mark).toBeUndefined();
    expect(ids(list(), watch.mark)).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  const list = () => [devin('e1', 1), devin('e2', 2), devin('e3', 3), devin('e4', 4)];
});

describe('fingerprint', () => {
  it('is the same for texts that differ only in whitespace and different for different texts', () => {
    expect(fingerprint(' a  b\nc ')).toBe(fingerprint('a b c'));
    expect(fingerprint('a b c')).not.toBe(fingerprint('a b d'));
    expect(fingerprint('abc')).not.toBe(fingerprint('a b c'));
  });
});
