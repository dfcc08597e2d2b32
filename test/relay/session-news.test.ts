import type { DevinSessionMessage } from '../../src/devin/devin-schemas';
import { fingerprint, sessionNews } from '../../src/relay/session-news';
import type { SessionWatch } from '../../src/relay/session-watches';

const watch = (seen: string[] = [], relayed: string[] = []): SessionWatch => ({
  sessionId: 'devin-1',
  seen,
  relayed,
  quietPolls: 0,
  nextPollAt: 0,
});

const msg = (type: string, eventId: string, message: string, extra: Partial<DevinSessionMessage> = {}) => ({
  type,
  event_id: eventId,
  message,
  timestamp: '2024-01-01T00:00:00Z',
  ...extra,
});

describe('sessionNews', () => {
  it('returns Devin messages in the order the session lists them', () => {
    const news = sessionNews(
      [msg('devin_message', 'e1', 'first'), msg('devin_message', 'e2', 'second'), msg('devin_message', 'e3', 'third')],
      watch(),
    );
    expect(news).toEqual([
      { eventId: 'e1', kind: 'devin', text: 'first' },
      { eventId: 'e2', kind: 'devin', text: 'second' },
      { eventId: 'e3', kind: 'devin', text: 'third' },
    ]);
  });

  it('skips messages the watch has already seen', () => {
    const news = sessionNews(
      [msg('devin_message', 'e1', 'old'), msg('user_message', 'e2', 'old too'), msg('devin_message', 'e3', 'new')],
      watch(['e1', 'e2']),
    );
    expect(news).toEqual([{ eventId: 'e3', kind: 'devin', text: 'new' }]);
  });

  it('handles a message listed twice in one answer only once', () => {
    const news = sessionNews([msg('devin_message', 'e1', 'once'), msg('devin_message', 'e1', 'once')], watch());
    expect(news).toEqual([{ eventId: 'e1', kind: 'devin', text: 'once' }]);
  });

  it('skips messages without an event id', () => {
    const news = sessionNews([msg('devin_message', '', 'anonymous'), msg('devin_message', 'e2', 'named')], watch());
    expect(news).toEqual([{ eventId: 'e2', kind: 'devin', text: 'named' }]);
  });

  it('recognises a relayed reply as an echo by its fingerprint, not as a person writing', () => {
    const news = sessionNews(
      [msg('user_message', 'u1', 'please fix the tests')],
      watch([], [fingerprint('please fix the tests')]),
    );
    expect(news).toEqual([{ eventId: 'u1', kind: 'echo', fingerprint: fingerprint('please fix the tests') }]);
  });

  it('matches each relayed text to one echo only: two relayed copies and three listed give two echoes and one person', () => {
    const print = fingerprint('yes');
    const news = sessionNews(
      [
        msg('user_message', 'u1', 'yes', { username: 'Ada' }),
        msg('user_message', 'u2', 'yes', { username: 'Ada' }),
        msg('user_message', 'u3', 'yes', { username: 'Ada' }),
      ],
      watch([], [print, print]),
    );
    expect(news).toEqual([
      { eventId: 'u1', kind: 'echo', fingerprint: print },
      { eventId: 'u2', kind: 'echo', fingerprint: print },
      { eventId: 'u3', kind: 'person', text: 'yes', author: 'Ada' },
    ]);
  });

  it('leaves the watch it was given unchanged', () => {
    const print = fingerprint('yes');
    const given = watch(['e0'], [print]);
    sessionNews([msg('user_message', 'u1', 'yes'), msg('devin_message', 'e1', 'ok')], given);
    expect(given.seen).toEqual(['e0']);
    expect(given.relayed).toEqual([print]);
  });

  it('matches an echo whatever whitespace Devin adds or folds', () => {
    const news = sessionNews(
      [msg('user_message', 'u1', '  run   the\n\ntests\tagain \n')],
      watch([], [fingerprint('run the tests again')]),
    );
    expect(news).toEqual([{ eventId: 'u1', kind: 'echo', fingerprint: fingerprint('run the tests again') }]);
  });

  it('shows a message that differs in more than whitespace as a person writing', () => {
    const news = sessionNews(
      [msg('user_message', 'u1', 'run the tests again!', { username: 'Ada' })],
      watch([], [fingerprint('run the tests again')]),
    );
    expect(news).toEqual([{ eventId: 'u1', kind: 'person', text: 'run the tests again!', author: 'Ada' }]);
  });

  it('skips the initial user message and other kinds of message without showing them', () => {
    const news = sessionNews(
      [
        msg('initial_user_message', 'i1', 'Build the thing'),
        msg('tool_call', 't1', 'ls'),
        msg('devin_message', 'e1', 'ok'),
      ],
      watch(),
    );
    expect(news).toEqual([
      { eventId: 'i1', kind: 'skip' },
      { eventId: 't1', kind: 'skip' },
      { eventId: 'e1', kind: 'devin', text: 'ok' },
    ]);
  });

  it('names a person by username and falls back to "Someone" without one', () => {
    const news = sessionNews(
      [
        msg('user_message', 'u1', 'a', { username: 'Grace' }),
        msg('user_message', 'u2', 'b'),
        msg('user_message', 'u3', 'c', { username: null }),
        msg('user_message', 'u4', 'd', { username: '' }),
      ],
      watch(),
    );
    expect(news.map((n) => (n.kind === 'person' ? n.author : n.kind))).toEqual([
      'Grace',
      'Someone',
      'Someone',
      'Someone',
    ]);
  });
});

describe('fingerprint', () => {
  it('is the same for texts that differ only in whitespace and different for different texts', () => {
    expect(fingerprint(' a  b\nc ')).toBe(fingerprint('a b c'));
    expect(fingerprint('a b c')).not.toBe(fingerprint('a b d'));
    expect(fingerprint('abc')).not.toBe(fingerprint('a b c'));
  });
});
