import { Harness } from '../support/harness';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const MESSAGE_PATH = '/v1/sessions/:id/message';
const relayed = (text: string) => `Alice (@alice, U1) via Slack: ${text}`;

/** The reactions Slack accepted on one message (throttled calls are not counted: Slack refused them). */
const accepted = (ts: string) =>
  h.slack.calls
    .filter((c) => c.method.startsWith('reactions.') && !c.failed && c.args.timestamp === ts)
    .map((c) => `${c.method === 'reactions.add' ? '+' : '-'}${c.args.name}`);

it('delivers replies from several threads of a channel at once and in order while Slack rate-limits reactions, and shows each receipt once Slack allows', async () => {
  h = await Harness.start();
  const threads = [await h.linkedThread(), await h.linkedThread(), await h.linkedThread()];
  h.slack.throttle('reactions.add', 30);
  // The first reply of the first thread is retried once (an hourglass is wanted while Slack refuses reactions).
  h.devin.script('POST', MESSAGE_PATH, [{ status: 503, body: { detail: 'busy' } }]);

  const sent: string[][] = [];
  for (const [i, thread] of threads.entries()) {
    sent.push([await h.reply(thread.threadTs, `first in ${i}`), await h.reply(thread.threadTs, `second in ${i}`)]);
  }
  for (const [i, thread] of threads.entries()) {
    expect(await h.devin.waitForDelivered(thread.sessionId, 2)).toEqual([
      relayed(`first in ${i}`),
      relayed(`second in ${i}`),
    ]);
  }
  // Delivery finished while Slack still refused every reaction.
  expect(h.slack.calls.filter((c) => c.method === 'reactions.add').length).toBeGreaterThan(0);
  expect(h.slack.calls.filter((c) => c.method === 'reactions.add' && !c.failed)).toEqual([]);
  await h.running.deliverer.idle();

  h.slack.unthrottle('reactions.add');
  await h.idle();
  // Latest state wins: the retried reply never shows its hourglass, only the check mark, like every other reply.
  for (const ts of sent.flat()) expect(accepted(ts)).toEqual(['+white_check_mark']);
  for (const thread of threads) expect(h.devin.delivered(thread.sessionId)).toHaveLength(2);
});

it('keeps delivering while Slack is down, and tells the thread once it is back', async () => {
  h = await Harness.start();
  const { sessionId, threadTs } = await h.linkedThread();
  h.slack.down();
  const ts = await h.reply(threadTs, 'said during an outage');
  expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([relayed('said during an outage')]);
  await h.running.deliverer.idle();
  h.slack.up();
  await h.idle();
  expect(accepted(ts)).toEqual(['+white_check_mark']);
});
