import { POLL_DUE_INDEX } from '../../src/relay/ports/store-keys';
import { FakeDevin } from '../support/fake-devin';
import { FakeSlack } from '../support/fake-slack';
import { LIST, linkAll, quietSessions, ROUND_MS, round, settle } from '../support/feed-rounds';
import { DEVIN_ORG, DEVIN_V3_TOKEN, Harness } from '../support/harness';
import { freshRedisUrl } from '../support/redis-test-url';
import { Scrape } from '../support/scrape';

jest.setTimeout(20_000);

describe('without the change feed', () => {
  it.each([
    ['v1', {}],
    ['v3 with DEVIN_CHANGE_FEED=false', { DEVIN_CHANGE_FEED: 'false' }],
  ] as const)('%s polls each session on its own schedule, with no list call', async (name, env) => {
    const version = name.startsWith('v1') ? 'v1' : 'v3';
    const h = await Harness.start({ devinVersion: version, storeUrl: 'memory://', env: { LOG_LEVEL: 'info', ...env } });
    try {
      const { sessionId } = await h.linkedThread();
      await h.poll(0);
      expect(h.running.feed).toBeUndefined();
      const since = h.devin.requests.length;
      // A working session is read every 5 s while it is new.
      for (let i = 0; i < 3; i += 1) await h.poll(ROUND_MS);
      const reads = h.devin.requests.slice(since).filter((r) => r.method === 'GET' && r.path.includes(sessionId));
      expect(reads.length).toBeGreaterThanOrEqual(3);
      expect(h.devin.requests.slice(since).filter((r) => /\/sessions$/.test(r.path))).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('metrics', () => {
  it("shows the feed's list calls among Devin's requests, its rounds, and the sessions it found changed", async () => {
    const h = await Harness.start({ devinVersion: 'v3', storeUrl: 'memory://', env: { LOG_LEVEL: 'info' } });
    try {
      const [id] = quietSessions(h.devin, 1) as [string];
      await h.linkSession(id);
      await settle(h);
      h.devin.say(id, 'metered', 'Counted');
      await round(h);
      await h.idle();
      const scraped = await Scrape.of(h.baseUrl);
      const list = { endpoint: LIST, status_class: '2xx' };
      expect(scraped.value('devin_slack_devin_request_duration_seconds_count', list)).toBe(
        h.devin.callsByRoute()[LIST],
      );
      expect(scraped.value('devin_slack_feed_rounds_total', { outcome: 'read' })).toBe(h.devin.callsByRoute()[LIST]);
      expect(scraped.value('devin_slack_feed_changed_sessions_total')).toBeGreaterThanOrEqual(1);
    } finally {
      await h.close();
    }
  });
});

describe('paging', () => {
  it('reads every page when more sessions changed than one page holds, and posts the news of the watched ones once', async () => {
    const h = await Harness.start({ devinVersion: 'v3', storeUrl: 'memory://', env: { LOG_LEVEL: 'info' } });
    try {
      const watched = quietSessions(h.devin, 3);
      const threads = await linkAll(h, watched);
      await settle(h);
      // The watched sessions change first, then 250 others: newest first, the watched ones are on the second page.
      for (const id of watched) h.devin.say(id, `news-${id}`, `News from ${id.slice(-6)}`);
      const others = Array.from({ length: 250 }, () => h.devin.addSession().session_id);
      for (const id of others) h.devin.say(id, `other-${id}`, 'Not watched here');
      const since = h.devin.requests.length;
      await round(h);
      await h.idle();
      const lists = h.devin.requests.slice(since).filter((r) => r.path.endsWith('/sessions'));
      expect(lists.map((r) => [r.query?.get('first'), r.query?.has('after')])).toEqual([
        ['200', false],
        ['200', true],
      ]);
      // Only the watched sessions are read.
      expect(h.devin.requests.slice(since).filter((r) => others.some((id) => r.path.includes(id)))).toEqual([]);
      for (const id of watched) expect(h.posted(threads.get(id) as string)).toEqual([`News from ${id.slice(-6)}`]);
      await settle(h);
      for (const id of watched) expect(h.posted(threads.get(id) as string)).toEqual([`News from ${id.slice(-6)}`]);
    } finally {
      await h.close();
    }
  });
});

describe('the safety poll', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('catches a change whose updated_at does not move, at the session’s own moment of the hour, once', async () => {
    h = await Harness.start({ devinVersion: 'v3', storeUrl: 'memory://', env: { LOG_LEVEL: 'info' } });
    const sessions = quietSessions(h.devin, 3);
    const threads = await linkAll(h, sessions);
    await settle(h);
    const quiet = sessions[1] as string;
    const safetyAt = (await h.store.index(POLL_DUE_INDEX).score(quiet)) as number;
    expect(safetyAt).toBeGreaterThan(h.clock.now());
    expect(safetyAt - h.clock.now()).toBeLessThanOrEqual(60 * 60_000);

    h.devin.say(quiet, 'hidden-1', 'A change the list does not show', { quietly: true });
    let postedAt: number | undefined;
    for (let minute = 0; minute <= 61 && postedAt === undefined; minute += 1) {
      await round(h, 60_000);
      await h.idle();
      if (h.posted(threads.get(quiet) as string).length > 0) postedAt = h.clock.now();
    }
    expect(postedAt).toBeDefined();
    expect(postedAt).toBeGreaterThanOrEqual(safetyAt);
    expect((postedAt as number) - safetyAt).toBeLessThan(60_000);
    for (let minute = 0; minute < 5; minute += 1) await round(h, 60_000);
    await h.idle();
    expect(h.posted(threads.get(quiet) as string)).toEqual(['A change the list does not show']);
  });

  it('keeps the mark across a restart: the first round after it lists only what changed since', async () => {
    h = await Harness.start({ devinVersion: 'v3', env: { LOG_LEVEL: 'info' } });
    const [id] = quietSessions(h.devin, 1) as [string];
    const thread = await h.linkSession(id);
    await settle(h);
    const { devin, slack, dir } = h;
    h.devin.say(id, 'before-restart', 'Written before the restart');
    await round(h);
    await h.idle();
    await h.stopApp();
    const restarted = await Harness.start({ devin, slack, dir, env: { LOG_LEVEL: 'info' } });
    try {
      const since = devin.requests.length;
      await round(restarted);
      await restarted.idle();
      const [list] = devin.requests.slice(since).filter((r) => r.path.endsWith('/sessions'));
      expect(list?.query?.get('updated_after')).toEqual(expect.stringMatching(/^\d+$/));
      expect(restarted.posted(thread)).toEqual(['Written before the restart']);
    } finally {
      await restarted.close();
    }
  });
});

describe('two replicas on one Redis database', () => {
  it('read the feed once per interval between them, and post news once', async () => {
    const slack = await FakeSlack.start();
    const devin = await FakeDevin.start({ apiKey: DEVIN_V3_TOKEN, version: 'v3', orgId: DEVIN_ORG });
    const storeUrl = await freshRedisUrl(7);
    const options = { storeUrl, slack, devin, env: { LOG_LEVEL: 'info' } };
    const a = await Harness.start(options);
    const b = await Harness.start(options);
    try {
      const sessions = quietSessions(devin, 4);
      const threads = await linkAll(a, sessions);
      await settle(a);
      await settle(b);
      const talking = sessions[2] as string;
      devin.say(talking, 'both-1', 'Both replicas watch this');
      const since = devin.requests.length;
      for (const replica of [a, b]) replica.clock.advance(ROUND_MS);
      // Each replica's timer: the second finds the feed read less than an interval ago.
      await Promise.all([a.running.feed?.tick(), b.running.feed?.tick()]);
      await Promise.all([a.running.feed?.tick(), b.running.feed?.tick()]);
      expect(devin.callsByRoute(since)[LIST]).toBe(1);
      await Promise.all([a.running.poller.tick(), b.running.poller.tick(), a.running.poller.tick()]);
      await Promise.all([a.idle(), b.idle()]);
      await Promise.all([round(a), round(b)]);
      await Promise.all([a.idle(), b.idle()]);
      expect(a.posted(threads.get(talking) as string)).toEqual(['Both replicas watch this']);
    } finally {
      await a.stopApp();
      await b.stopApp();
      await slack.close();
      await devin.close();
    }
  });
});

describe("Devin's 429", () => {
  it('makes the feed wait as long as Retry-After asks, then read again; news is not lost', async () => {
    const h = await Harness.start({ devinVersion: 'v3', storeUrl: 'memory://', env: { LOG_LEVEL: 'info' } });
    try {
      const { sessionId, threadTs } = await h.linkedThread();
      await settle(h);
      h.devin.script('GET', `/v3/organizations/${DEVIN_ORG}/sessions`, [
        { status: 429, headers: { 'retry-after': '30' }, body: { detail: 'Too many requests' } },
      ]);
      await round(h);
      const since = h.devin.requests.length;
      h.devin.say(sessionId, 'after-429', 'Still here after the throttle.');
      for (let i = 0; i < 5; i += 1) await round(h); // 25 s: within Retry-After
      expect(h.devin.callsByRoute(since)[LIST] ?? 0).toBe(0);
      await round(h); // 30 s
      await round(h);
      await h.idle();
      expect(h.devin.callsByRoute(since)[LIST]).toBeGreaterThanOrEqual(1);
      expect(h.posted(threadTs).filter((t) => t === 'Still here after the throttle.')).toHaveLength(1);
      const waits = h.logs.map((l) => JSON.parse(l)).filter((l) => /asked the change feed to wait/.test(l.msg));
      expect(waits).toEqual([expect.objectContaining({ retry_after_ms: 30_000 })]);
    } finally {
      await h.close();
    }
  });
});
