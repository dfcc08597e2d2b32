/**
 * Devin API calls made by polling, per session, measured on the real app with a virtual clock: a working session
 * that talks, a working session that is quiet, a session waiting for people, an asleep one, and a finished one.
 * Usage: `npm run bench:poll`.
 */
import { Harness } from '../test/support/harness';

type Scenario = { name: string; statusEnum: string; talkEverySec?: number; minutes: number };

const scenarios: Scenario[] = [
  { name: 'working, Devin writing every 30 s', statusEnum: 'working', talkEverySec: 30, minutes: 10 },
  { name: 'working, quiet', statusEnum: 'working', minutes: 60 },
  { name: 'waiting for people (blocked)', statusEnum: 'blocked', minutes: 180 },
  { name: 'asleep (suspend_requested)', statusEnum: 'suspend_requested', minutes: 180 },
  { name: 'finished', statusEnum: 'finished', minutes: 60 },
];

async function measure(h: Harness, scenario: Scenario) {
  const { sessionId } = await h.linkedThread();
  const session = h.devin.sessions.get(sessionId);
  if (!session) throw new Error('no session');
  session.status_enum = scenario.statusEnum;
  const gets = () =>
    h.devin.requests.filter((r) => r.method === 'GET' && r.path === `/v1/sessions/${sessionId}`).length;
  const before = gets();
  const perMinute: number[] = [];
  const stepMs = 1000;
  for (let second = 1; second <= scenario.minutes * 60; second += 1) {
    if (scenario.talkEverySec && second % scenario.talkEverySec === 0) {
      session.messages.push({
        type: 'devin_message',
        event_id: `bench-${sessionId}-${second}`,
        message: `progress at ${second}s`,
        timestamp: new Date().toISOString(),
      });
    }
    h.clock.advance(stepMs);
    await h.running.poller.tick();
    if (second % 60 === 0) perMinute.push(gets() - before - perMinute.reduce((a, b) => a + b, 0));
  }
  const total = gets() - before;
  const lastHour = perMinute.slice(-60).reduce((a, b) => a + b, 0);
  return { total, perMinute, lastHour };
}

async function main(): Promise<void> {
  const h = await Harness.start({ storeUrl: 'memory://', env: { LOG_LEVEL: 'error', DEVIN_POLL_INTERVAL_MS: '5000' } });
  try {
    console.log('Devin API calls (GET /v1/sessions/{id}) made by polling one session, DEVIN_POLL_INTERVAL_MS=5000');
    for (const scenario of scenarios) {
      const { total, perMinute, lastHour } = await measure(h, scenario);
      const minutes = scenario.minutes;
      const avgPerMin = (total / minutes).toFixed(1);
      const steady = perMinute.length >= 60 ? `, last hour ${lastHour}/hour` : '';
      console.log(
        `${scenario.name.padEnd(36)} ${String(total).padStart(4)} calls in ${minutes} min: ${avgPerMin}/min on average` +
          `, first minute ${perMinute[0] ?? 0}, last minute ${perMinute.at(-1) ?? 0}${steady}`,
      );
    }
  } finally {
    await h.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
