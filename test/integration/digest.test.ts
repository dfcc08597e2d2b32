import { refusalSentence } from '../../src/relay/access-policy';
import { Harness } from '../support/harness';

/** `/devin digest on|off [HH:MM]`: a daily direct message of the sessions waiting for the person, and reminders. */
let h: Harness;
afterEach(() => h?.close());

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
let counter = 0;

async function ask(text: string, user = 'U1'): Promise<string> {
  counter += 1;
  const name = `digest-${counter}`;
  const res = await h.command(text, { user_id: user, response_url: h.slack.responseUrl(name) });
  if (res.body && JSON.parse(res.body).text) return JSON.parse(res.body).text;
  return (await h.slack.waitForResponse((r) => r.name === name)).body.text;
}

/** The direct messages the app posted to `user`. */
const dms = (user: string) =>
  h.slack.calls
    .filter((c) => c.method === 'chat.postMessage' && c.args.channel === user)
    .map((c) => String(c.args.text));

/** Moves the clock to the next `hour`:00 UTC. */
function toNextUtcHour(hour: number): void {
  const now = h.clock.now();
  let at = Math.floor(now / DAY_MS) * DAY_MS + hour * HOUR_MS;
  if (at <= now) at += DAY_MS;
  h.clock.advance(at - now);
}

async function tick(ms = 0): Promise<void> {
  h.clock.advance(ms);
  await h.running.digests.tick(h.clock.now());
}

beforeEach(async () => {
  h = await Harness.start();
});

it("sends the digest once a day at the person's time in their Slack time zone, listing only the sessions waiting for them", async () => {
  const alice = h.slack.users.get('U1');
  if (alice) alice.tz = 'America/New_York';
  const waiting = await h.linkAs('U1', 'Waits for <you>');
  const working = await h.linkAs('U1', 'Busy one');
  const bobs = await h.linkAs('U2', 'Bob waits');
  h.devin.setState(waiting.sessionId, 'waiting');
  h.devin.setState(bobs.sessionId, 'waiting');
  await h.poll(5000);

  const answer = await ask('digest on 9:30');
  expect(answer).toContain('at 09:30 in your Slack time zone (America/New_York)');
  const next = Number(/<!date\^(\d+)\^/.exec(answer)?.[1]) * 1000;
  const wall = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  expect(wall.format(next)).toBe('09:30');
  expect(next - h.clock.now()).toBeGreaterThan(0);
  expect(next - h.clock.now()).toBeLessThanOrEqual(DAY_MS);

  const digests = () => dms('U1').filter((t) => t.includes('Your Devin digest'));
  await tick(next - h.clock.now() - 60_000);
  expect(digests()).toEqual([]);
  await tick(2 * 60_000);
  // Two ticks at once (as two replicas would): one digest.
  await Promise.all([h.running.digests.tick(h.clock.now()), h.running.digests.tick(h.clock.now())]);
  expect(digests()).toEqual([expect.stringContaining('*Your Devin digest:* 1 session waits for you.')]);
  expect(digests()[0]).toContain('*Waits for &lt;you&gt;* waits for your reply (<https://acme.slack.com/archives/C1/p');
  expect(digests()[0]).not.toContain('Busy one');
  expect(digests()[0]).not.toContain('Bob waits');
  expect(dms('U2')).toEqual([]);
  expect(working.sessionId).toBeTruthy();

  await tick(DAY_MS - 2 * 60_000);
  expect(digests()).toHaveLength(1);
  await tick(3 * 60_000);
  expect(digests()).toHaveLength(2);

  expect(await ask('digest off')).toBe('Your daily Devin digest is off.');
  await tick(DAY_MS);
  expect(digests()).toHaveLength(2);
});

it('uses UTC when Slack gives no time zone, and sends nothing on a day nothing waits', async () => {
  toNextUtcHour(1);
  const answer = await ask('digest on 07:00', 'U2');
  expect(answer).toContain('at 07:00 UTC (Slack gave no time zone for you)');
  await tick(6 * HOUR_MS + 60_000);
  expect(dms('U2')).toEqual([]);
});

it('reminds the person once a day of a session waiting more than four hours', async () => {
  toNextUtcHour(1);
  await ask('digest on 23:00');
  const { sessionId } = await h.linkAs('U1', 'Needs an answer');
  h.devin.setState(sessionId, 'waiting');
  await h.poll(5000);
  const reminders = () => dms('U1').filter((t) => t.includes(':alarm_clock:'));
  await tick(4 * HOUR_MS - 60_000);
  expect(reminders()).toEqual([]);
  await tick(2 * 60_000);
  await tick(HOUR_MS);
  expect(reminders()).toEqual([expect.stringContaining('*Needs an answer* waits for your reply')]);
  await tick(DAY_MS);
  expect(reminders()).toHaveLength(2);

  h.devin.setState(sessionId, 'working');
  await h.poll(10 * 60_000);
  await tick(DAY_MS);
  expect(reminders()).toHaveLength(2);
});

it('explains its words, and refuses whom the rules refuse', async () => {
  expect(await ask('digest maybe')).toContain('`/devin digest` takes `on` or `off`');
  expect(await ask('digest on 25:00')).toContain('`/devin digest` takes `on` or `off`');
  await h.close();
  h = await Harness.start({ env: { ALLOWED_USER_IDS: 'U1' } });
  expect(await ask('digest on', 'U2')).toBe(refusalSentence('user'));
});
