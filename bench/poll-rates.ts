/**
 * What polling costs Devin's API, measured on the real app against the fake Devin with a virtual clock, on API v1 and
 * on the organization API v3:
 * - calls per session over time: a working session that talks, one that is quiet, one waiting for people, an asleep
 *   one, and a finished one (on v3, the reads the change feed asks for and the safety poll; the feed's own list call,
 *   one per 5 s whatever the number of sessions, is measured by `npm run bench:watch`);
 * - calls and bytes read per poll for a session of 10 and of 1,000 messages, idle and with one new message.
 * Usage: `npm run bench:poll`.
 */
import { POLL_DUE_INDEX } from '../src/relay/ports/store-keys';
import type { FakeState } from '../test/support/fake-devin';
import { Harness } from '../test/support/harness';

type Version = 'v1' | 'v3';
type Scenario = { name: string; state: FakeState; talkEverySec?: number; minutes: number };

const scenarios: Scenario[] = [
  { name: 'working, Devin writing every 30 s', state: 'working', talkEverySec: 30, minutes: 10 },
  { name: 'working, quiet', state: 'working', minutes: 60 },
  { name: 'waiting for people', state: 'waiting', minutes: 180 },
  { name: 'asleep', state: 'asleep', minutes: 180 },
  { name: 'finished', state: 'finished', minutes: 60 },
];

/** A message of Devin's as long as a typical progress note (about 300 characters). */
const note = (i: number) =>
  `Progress note ${i}: ran the test suite again after the change to the parser; 412 passed, 3 skipped. ` +
  'Next I will update the fixtures for the new date format, then open a pull request with the migration and a short ' +
  'summary of what changed and why, so that the reviewers can follow the reasoning without reading the whole diff.';

const LONG_MS = 10 * 60_000;

async function start(version: Version): Promise<Harness> {
  const h = await Harness.start({
    storeUrl: 'memory://',
    devinVersion: version,
    env: { LOG_LEVEL: 'error', DEVIN_POLL_INTERVAL_MS: '5000' },
  });
  // Devin stamps its changes (`updated_at`, which the change feed reads) on the same virtual clock.
  h.devin.now = () => h.clock.now();
  return h;
}

/** Devin requests about one session (its reads and its message list) since `since`. */
function requestsFor(h: Harness, sessionId: string, since: number) {
  return h.devin.requests.slice(since).filter((r) => r.path.includes(`/sessions/${sessionId}`));
}

async function rates(h: Harness, scenario: Scenario) {
  const { sessionId } = await h.linkedThread();
  h.devin.setState(sessionId, scenario.state);
  const since = h.devin.requests.length;
  const calls = () => requestsFor(h, sessionId, since).length;
  const perMinute: number[] = [];
  for (let second = 1; second <= scenario.minutes * 60; second += 1) {
    if (scenario.talkEverySec && second % scenario.talkEverySec === 0) {
      h.devin.say(sessionId, `bench-${sessionId}-${second}`, `progress at ${second}s`);
    }
    h.clock.advance(1000);
    // v3: the change feed's round every 5 s (its list call is shared by every watched session, not counted here).
    if (second % 5 === 0) await h.running.feed?.tick({ force: true });
    await h.running.poller.tick();
    if (second % 60 === 0) perMinute.push(calls() - perMinute.reduce((a, b) => a + b, 0));
  }
  const total = calls();
  const lastHour = perMinute.slice(-60).reduce((a, b) => a + b, 0);
  return { total, perMinute, lastHour };
}

/** One poll of a session of `size` messages, once caught up: idle, then with one new message. */
async function perPoll(h: Harness, size: number) {
  const session = h.devin.addSession();
  for (let i = 0; i < size; i += 1) h.devin.say(session.session_id, `m${i}`, note(i));
  await h.linkSession(session.session_id);
  await h.poll(0);
  await h.poll(LONG_MS);
  const measure = async () => {
    const since = h.devin.requests.length;
    // Due now: on v3 a quiet session is otherwise read only by its safety poll (its one poll an hour).
    await h.store.index(POLL_DUE_INDEX).put(session.session_id, h.clock.now() + LONG_MS);
    await h.poll(LONG_MS);
    const requests = requestsFor(h, session.session_id, since);
    return { calls: requests.length, bytes: requests.reduce((sum, r) => sum + (r.answerBytes ?? 0), 0) };
  };
  const idle = await measure();
  h.devin.say(session.session_id, `m${size}`, note(size));
  const fresh = await measure();
  return { idle, fresh };
}

const kb = (bytes: number) => (bytes >= 10_000 ? `${(bytes / 1000).toFixed(0)} kB` : `${bytes} B`);

async function main(): Promise<void> {
  const perPollRows: string[][] = [];
  for (const version of ['v1', 'v3'] as const) {
    const h = await start(version);
    try {
      console.log(`\nAPI ${version}: Devin API calls made by polling one session, DEVIN_POLL_INTERVAL_MS=5000`);
      for (const scenario of scenarios) {
        const { total, perMinute, lastHour } = await rates(h, scenario);
        const steady = perMinute.length >= 60 ? `, last hour ${lastHour}/hour` : '';
        console.log(
          `  ${scenario.name.padEnd(34)} ${String(total).padStart(4)} calls in ${scenario.minutes} min: ` +
            `${(total / scenario.minutes).toFixed(1)}/min on average, first minute ${perMinute[0] ?? 0}, ` +
            `last minute ${perMinute.at(-1) ?? 0}${steady}`,
        );
      }
      for (const size of [10, 1000]) {
        const { idle, fresh } = await perPoll(h, size);
        perPollRows.push([
          version,
          `${size.toLocaleString('en')} messages`,
          String(idle.calls),
          kb(idle.bytes),
          String(fresh.calls),
          kb(fresh.bytes),
        ]);
      }
    } finally {
      await h.close();
    }
  }
  console.log('\nOne poll of a session whose earlier messages were handled (messages of about 300 characters):\n');
  const header = ['API', 'session', 'idle: calls', 'bytes read', 'one new message: calls', 'bytes read'];
  const widths = header.map((h, i) => Math.max(h.length, ...perPollRows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of perPollRows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
