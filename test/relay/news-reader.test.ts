import type { SessionMessage, SessionSnapshot } from '../../src/relay/model/devin-session';
import { NewsReader } from '../../src/relay/news-reader';
import type { RelayedText } from '../../src/relay/session-news';
import { fingerprint } from '../../src/relay/session-news';

const message = (id: string, from: SessionMessage['from'], text: string): SessionMessage => ({
  id,
  from,
  text,
  at: '2024-01-01T00:00:00Z',
  attachments: [],
});
const snapshot = (messages: SessionMessage[]): SessionSnapshot => ({
  id: 'devin-s1',
  status: 'running',
  pullRequests: [],
  messages,
  malformedMessages: 0,
});
const watch = { sessionId: 'devin-s1', quietPolls: 0, nextPollAt: 0 };

describe('NewsReader', () => {
  it("reads the relayed texts only when a person's message is among the new ones, and tells echoes apart", async () => {
    let lists = 0;
    const relayed: RelayedText[] = [{ id: 'r1', fingerprint: fingerprint('please add tests') }];
    const reader = new NewsReader({
      relayed: {
        list: async () => {
          lists += 1;
          return relayed;
        },
      },
    });
    const devinOnly = await reader.read(snapshot([message('e0', 'devin', 'On it')]), watch);
    expect(devinOnly.news.map((n) => n.kind)).toEqual(['devin']);
    expect(lists).toBe(0);
    const withPeople = await reader.read(
      snapshot([
        message('e0', 'devin', 'On it'),
        message('e1', 'person', 'please add tests'),
        message('e2', 'person', 'hi'),
      ]),
      watch,
    );
    expect(withPeople.news.map((n) => n.kind)).toEqual(['devin', 'echo', 'person']);
    expect(withPeople.end).toMatchObject({ index: 2, eventId: 'e2' });
    expect(lists).toBe(1);
  });

  it('finds nothing new after the mark, and keeps the mark', async () => {
    const reader = new NewsReader({ relayed: { list: async () => [] } });
    const mark = { index: 0, eventId: 'e0' };
    expect(await reader.read(snapshot([message('e0', 'devin', 'On it')]), { ...watch, mark })).toEqual({
      news: [],
      end: { index: 0, eventId: 'e0', timestamp: '2024-01-01T00:00:00Z' },
    });
  });
});
