import type { FakeSession } from '../support/fake-devin';
import { Harness } from '../support/harness';
import { freshRedisUrl } from '../support/redis-test-url';
import { threadReply } from '../support/slack-signing';

const STEP_MS = 5000;
const MAX_GAP_MS = 5 * 60_000;

let h: Harness;
afterEach(() => h?.close());

function session(sessionId: string, harness = h): FakeSession {
  const found = harness.devin.sessions.get(sessionId);
  if (!found) throw new Error(`no fake session ${sessionId}`);
  return found;
}

let said = 0;
function devinSays(sessionId: string, message: string, harness = h): void {
  said += 1;
  harness.devin.say(sessionId, `ev-${said}`, message);
}

const getsOf = (sessionId: string, harness = h) =>
  harness.devin.requests.filter((r) => r.method === 'GET' && r.path === `/v1/sessions/${sessionId}`);
const gets = (sessionId: string) => getsOf(sessionId).length;

const threadPosts = (threadTs: string, harness = h) =>
  harness.slack
    .callsTo('chat.postMessage')
    .filter((a) => a.thread_ts === threadTs)
    .map((a) => String(a.text));

/**
 * One poll round after `ms` of virtual time. Like h.poll, without its settle wait: nothing is being delivered in
 * these loops, and they run hundreds of rounds.
 */
async function tick(ms: number): Promise<void> {
  h.clock.advance(ms);
  await h.running.poller.tick();
}

/** Steps virtual time by `stepMs` for `totalMs`; the virtual times at which the session was polled. */
async function pollTimes(sessionId: string, totalMs: number, stepMs = STEP_MS): Promise<number[]> {
  const times: number[] = [];
  for (let elapsed = 0; elapsed < totalMs; elapsed += stepMs) {
    const before = gets(sessionId);
    await tick(stepMs);
    if (gets(sessionId) > before) times.push(h.clock.now());
  }
  return times;
}

const gapsOf = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));

/** Each gap at least as long as the one before, the last longer than the first, none longer than 5 minutes. */
function expectSlowingDown(gaps: number[]): void {
  for (let i = 1; i < gaps.length; i += 1) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1] as number);
  expect(gaps.at(-1)).toBeGreaterThan(gaps[0] as number);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(MAX_GAP_MS);
}

describe('adaptive polling', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it('polls a working session with news every 5 seconds', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const times: number[] = [];
    // One-second steps: the session is polled on the first step at which it is due, no sooner.
    for (let step = 0; step < 60 && times.length < 8; step += 1) {
      const before = gets(sessionId);
      await tick(1000);
      if (gets(sessionId) === before) continue;
      times.push(h.clock.now());
      devinSays(sessionId, `step ${times.length}`);
    }
    expect(gapsOf(times)).toEqual(Array(7).fill(STEP_MS));
    expect(threadPosts(threadTs)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `step ${i}`));
  });

  it('polls a blocked session less and less often, never more than 5 minutes apart', async () => {
    const { sessionId } = await h.linkedThread();
    session(sessionId).status_enum = 'blocked';
    const times = await pollTimes(sessionId, 2 * 60 * 60_000);
    const gaps = gapsOf(times);
    expect(gaps[0]).toBeLessThanOrEqual(2 * STEP_MS);
    expectSlowingDown(gaps);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(2 * 60_000);
  });

  it('slows down a working session after 12 quiet polls, and news brings it back to every 5 seconds', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const quiet = gapsOf(await pollTimes(sessionId, 30 * 60_000));
    expect(quiet.slice(0, 12)).toEqual(Array(12).fill(STEP_MS));
    expect(quiet[13]).toBeGreaterThan(STEP_MS);
    expectSlowingDown(quiet);

    devinSays(sessionId, 'found it');
    const woken = await pollTimes(sessionId, MAX_GAP_MS + 60_000);
    expect(threadPosts(threadTs)).toEqual(['found it']);
    expect(gapsOf(woken).slice(0, 10)).toEqual(Array(10).fill(STEP_MS));
  });

  it('polls every 5 seconds again once a reply from the thread reached the session', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const quiet = gapsOf(await pollTimes(sessionId, 10 * 60_000));
    expect(quiet.at(-1)).toBeGreaterThan(4 * STEP_MS);

    await h.event(threadReply(threadTs, 'try the other branch'));
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    const start = h.clock.now();
    const woken = await pollTimes(sessionId, 60_000);
    expect(woken[0]).toBe(start + STEP_MS);
    expect(gapsOf(woken)).toEqual(Array(woken.length - 1).fill(STEP_MS));
    expect(threadPosts(threadTs)).toEqual([]);
  });
});

describe('API calls', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it('polls only the sessions still active, not every thread ever bound', async () => {
    const finished: Array<{ sessionId: string; threadTs: string }> = [];
    for (let i = 0; i < 5; i += 1) finished.push(await h.linkedThread());
    const working = await h.linkedThread();
    for (const { sessionId } of finished) Object.assign(session(sessionId), { status_enum: 'finished' });
    await h.poll(0);
    const before = h.devin.requests.length;
    const workingBefore = gets(working.sessionId);

    await pollTimes(working.sessionId, 10 * 60_000);

    const during = h.devin.requests.slice(before);
    expect(gets(working.sessionId)).toBeGreaterThan(workingBefore + 12);
    expect(during.every((r) => r.method === 'GET' && r.path === `/v1/sessions/${working.sessionId}`)).toBe(true);
    for (const { sessionId, threadTs } of finished) {
      expect(gets(sessionId)).toBe(2);
      expect(threadPosts(threadTs)).toEqual([expect.stringContaining('Devin finished')]);
    }
  });

  it('waits as long as Retry-After says when Devin answers a poll with 429', async () => {
    const { sessionId } = await h.linkedThread();
    await h.poll(0);
    h.devin.script('GET', `/v1/sessions/${sessionId}`, [
      { status: 429, headers: { 'retry-after': '120' }, body: { detail: 'Too many requests' } },
    ]);
    await h.poll(STEP_MS);
    const limited = gets(sessionId);

    await pollTimes(sessionId, 120_000 - STEP_MS);
    expect(gets(sessionId)).toBe(limited);
    await tick(STEP_MS);
    expect(gets(sessionId)).toBe(limited + 1);
    const warning = h.logs.map((l) => JSON.parse(l)).find((e) => e.msg?.startsWith('polling a session failed'));
    expect(warning).toMatchObject({ level: 40, session_id: sessionId, retry_after_ms: 120_000 });
  });

  it('keeps at most 4 polls in flight at once', async () => {
    const linked: Array<{ sessionId: string; threadTs: string }> = [];
    for (let i = 0; i < 10; i += 1) linked.push(await h.linkedThread());
    for (const { sessionId } of linked) {
      h.devin.script('GET', `/v1/sessions/${sessionId}`, [{ delayMs: 200, body: structuredClone(session(sessionId)) }]);
    }
    const before = h.devin.requests.length;
    await h.poll(0);

    const polls = h.devin.requests.slice(before).filter((r) => r.method === 'GET');
    expect(polls).toHaveLength(10);
    // Each answer takes at least ~200 ms, so a poll is certainly still in flight 190 ms after it arrived: counting
    // the polls that arrived within 190 ms before each one gives a lower bound of the polls in flight at that time.
    const inFlight = polls.map((p) => polls.filter((q) => q.at <= p.at && p.at < q.at + 190).length);
    expect(Math.max(...inFlight)).toBe(4);
  });
});

describe('replicas', () => {
  // A Redis database of its own: other test files on the same Redis (run at the same time by Jest) would otherwise
  // poll and deliver for this file's sessions through their own fakes, and this file for theirs.
  let storeUrl = '';
  beforeAll(async () => {
    storeUrl = await freshRedisUrl(12);
  });
  let b: Harness | undefined;
  let bound: { sessionId: string; threadTs: string } | undefined;

  afterEach(async () => {
    if (bound) {
      // The records this test made have no expiry.
      const { sessionId, threadTs } = bound;
      for (const key of [`watch:${sessionId}`, `session:${sessionId}`, `thread:T1:C1:${threadTs}`]) {
        await h.store.delete(key);
      }
      await h.store.index('poll-due').remove(sessionId);
    }
    bound = undefined;
    await b?.close();
    b = undefined;
  });

  it('lets only one replica poll a session at a time, so each Devin message is posted once', async () => {
    h = await Harness.start({ storeUrl });
    b = await Harness.start({ storeUrl, slack: h.slack, devin: h.devin });
    const replica = b;
    bound = await h.linkedThread();
    const { sessionId, threadTs } = bound;

    const expected: string[] = [];
    for (let i = 1; i <= 10; i += 1) {
      expected.push(`progress ${i}`);
      devinSays(sessionId, `progress ${i}`);
      await Promise.all([h.poll(STEP_MS), replica.poll(STEP_MS)]);
    }

    expect(threadPosts(threadTs)).toEqual(expected);
    expect(h.slack.callsTo('chat.update').filter((a) => a.ts === threadTs)).toHaveLength(1);
  });
});
