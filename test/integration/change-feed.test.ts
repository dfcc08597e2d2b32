import { FEED_MARK_KEY, POLL_DUE_INDEX } from '../../src/relay/ports/store-keys';
import {
  LIST,
  linkAll,
  MESSAGES,
  quietSessions,
  READ,
  ROUND_MS,
  round,
  seedWatched,
  settle,
} from '../support/feed-rounds';
import { Harness } from '../support/harness';

jest.setTimeout(30_000);

describe('the change feed with 300 watched v3 sessions', () => {
  let h: Harness;
  let sessions: string[];
  let threads: Map<string, string>;

  beforeAll(async () => {
    h = await Harness.start({ devinVersion: 'v3', storeUrl: 'memory://', env: { LOG_LEVEL: 'info' } });
    // This counts Devin's calls over a span of virtual time: Slack's working indicator, kept up in hundreds of threads
    // of one channel, would be paced on the same clock and stretch that span. Off, as in a workspace without it.
    h.slack.assistantStatusError = 'not_allowed_token_type';
    sessions = quietSessions(h.devin, 300);
    // 20 linked through Slack as people do; 280 watched as an earlier run left them.
    threads = await linkAll(h, sessions.slice(0, 20));
    await seedWatched(h, sessions.slice(20));
    await settle(h);
  });

  afterAll(() => h?.close());

  it('makes one list call per round and reads only the sessions due for their safety poll, whatever their number', async () => {
    const end = h.clock.now() + 12 * ROUND_MS;
    const due = await h.store.index(POLL_DUE_INDEX).upTo(end, 1000);
    // Each session is read once an hour, at its own moment: about 5 of 300 in a minute, never all of them.
    expect(due.length).toBeLessThanOrEqual(30);
    const since = h.devin.requests.length;
    for (let i = 0; i < 12; i += 1) await round(h);
    const calls = h.devin.callsByRoute(since);
    expect(calls[LIST]).toBe(12);
    const read = h.devin.requests.slice(since).filter((r) => /\/sessions\/[^/]+$/.test(r.path));
    expect(read.map((r) => decodeURIComponent(r.path.split('/').at(-1) as string)).sort()).toEqual(
      due.map((row) => row.member).sort(),
    );
    expect(calls[READ] ?? 0).toBe(due.length);
    expect(calls[MESSAGES] ?? 0).toBeLessThanOrEqual(2 * due.length);
    const lists = h.devin.requests.slice(since).filter((r) => r.path.endsWith('/sessions'));
    expect(lists.every((r) => r.query?.get('updated_after') && r.query.get('first') === '200')).toBe(true);
  });

  it('posts news in a quiet session in its thread within one round, once, though later rounds list it again', async () => {
    const quiet = sessions[15] as string;
    const thread = threads.get(quiet) as string;
    h.devin.say(quiet, 'news-1', 'Found the flaky test: the cache is cold on CI.');
    const since = h.devin.requests.length;
    await round(h);
    await h.idle();
    expect(h.posted(thread)).toEqual(['Found the flaky test: the cache is cold on CI.']);
    const reads = h.devin.requests.slice(since).filter((r) => r.path.includes(quiet));
    expect(reads.length).toBeGreaterThan(0);

    // The overlap lists it again: read once more (a change in the same second), posted no second time.
    const again = h.devin.requests.length;
    for (let i = 0; i < 4; i += 1) await round(h);
    await h.idle();
    const lists = h.devin.requests.slice(again).filter((r) => r.path.endsWith('/sessions'));
    expect(lists).toHaveLength(4);
    const reread = h.devin.requests.slice(again).filter((r) => r.path.endsWith(`/sessions/${quiet}`));
    expect(reread).toHaveLength(1);
    expect(h.posted(thread)).toEqual(['Found the flaky test: the cache is cold on CI.']);
    const mark = await h.store.get<{ mark: number }>(FEED_MARK_KEY);
    expect(mark?.mark).toBe(Math.floor(Date.parse(h.devin.mustGet(quiet).updated_at) / 1000) * 1000);
  });
});
