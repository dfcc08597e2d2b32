import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDevin } from '../support/fake-devin';
import { FakeSlack } from '../support/fake-slack';
import { DEVIN_ORG, DEVIN_V3_TOKEN, Harness } from '../support/harness';
import { freshRedisUrl } from '../support/redis-test-url';
import { TestClock } from '../support/test-clock';

// Two replicas on one Redis database: the cap warning, the closing summary and the digest are each sent once.
jest.setTimeout(30_000);

let slack: FakeSlack;
let devin: FakeDevin;
let dir: string;
let replicas: Harness[] = [];

beforeEach(async () => {
  slack = await FakeSlack.start();
  devin = await FakeDevin.start({ apiKey: DEVIN_V3_TOKEN, version: 'v3', orgId: DEVIN_ORG });
  dir = mkdtempSync(join(tmpdir(), 'devin-slack-guardrails-'));
  const storeUrl = await freshRedisUrl(8);
  // One clock for both, as replicas' clocks agree: the change feed's rounds are spaced by it.
  const options = { storeUrl, slack, devin, dir, clock: new TestClock(), env: { DEVIN_MAX_ACU_LIMIT: '10' } };
  replicas = [await Harness.start(options), await Harness.start(options)];
});

afterEach(async () => {
  await Promise.all(replicas.map((replica) => replica.stopApp().catch(() => undefined)));
  replicas = [];
  await slack.close();
  await devin.close();
  rmSync(dir, { recursive: true, force: true });
});

const posted = (threadTs: string) =>
  slack.calls
    .filter((c) => c.method === 'chat.postMessage' && !c.failed && c.args.thread_ts === threadTs)
    .map((c) => String(c.args.text));

/** Both replicas poll, at once, then one after the other, with the clock moved on. */
async function bothPoll(ms: number): Promise<void> {
  await Promise.all(replicas.map((replica) => replica.poll(ms)));
  for (const replica of replicas) await replica.poll(ms);
}

it('tells the thread of the cap once and closes it with one summary, whichever replica polls', async () => {
  const [a, b] = replicas as [Harness, Harness];
  await a.command('new fix the flaky login test');
  await a.idle();
  const root = slack.calls.find((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('is starting'));
  const threadTs = root?.answer?.ts as string;
  const session = [...devin.sessions.values()][0];
  if (!session) throw new Error('no session');
  await bothPoll(0);
  devin.spend(session.session_id, 9);
  await bothPoll(5000);
  await bothPoll(5000);
  expect(posted(threadTs).filter((t) => t.includes('of its cap'))).toHaveLength(1);
  devin.setState(session.session_id, 'finished');
  await bothPoll(10 * 60_000);
  await bothPoll(10 * 60_000);
  expect(posted(threadTs).filter((t) => t.includes('Closing summary'))).toHaveLength(1);
  expect(b).toBeDefined();
});

it('sends a daily digest once when both replicas tick at the same time', async () => {
  const [a, b] = replicas as [Harness, Harness];
  const linked = await a.linkAs('U1', 'Waits for you');
  devin.setState(linked.sessionId, 'waiting');
  await a.poll(5000);
  const name = 'digest-on';
  await a.command('digest on 09:30', { response_url: slack.responseUrl(name) });
  const answer = String((await slack.waitForResponse((r) => r.name === name)).body.text);
  const next = Number(/<!date\^(\d+)\^/.exec(answer)?.[1]) * 1000;
  for (const replica of replicas) replica.clock.advance(next + 60_000 - replica.clock.now());
  await Promise.all([a.running.digests.tick(a.clock.now()), b.running.digests.tick(b.clock.now())]);
  await Promise.all([a.running.digests.tick(a.clock.now()), b.running.digests.tick(b.clock.now())]);
  const digests = slack.calls.filter(
    (c) =>
      c.method === 'chat.postMessage' && c.args.channel === 'U1' && String(c.args.text).includes('Your Devin digest'),
  );
  expect(digests).toHaveLength(1);
});
