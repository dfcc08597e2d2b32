import { Harness } from '../support/harness';
import { QueueValve } from '../support/queue-valve';
import { threadReply } from '../support/slack-signing';

let h: Harness;
let valve: QueueValve;
beforeEach(() => {
  valve = new QueueValve();
});
afterEach(() => h.close());

const resendAsks = () =>
  h.slack.callsTo('chat.postMessage').filter((args) => String(args.text).includes("I couldn't record that reply"));

it('lets Slack send an unrecorded reply again, and asks the person to resend it only after Slack gave up', async () => {
  h = await Harness.start({ wrapQueue: (queue) => valve.wrap(queue) });
  const { sessionId, threadTs } = await h.linkedThread();
  valve.down = true;
  const payload = threadReply(threadTs, 'lost in the outage?');
  for (const retryNum of [undefined, 1, 2]) {
    const answer = await h.event(payload, retryNum === undefined ? {} : { retryNum, retryReason: 'http_error' });
    expect(answer.status).toBe(500);
  }
  await h.idle();
  // Slack still has tries left: the person is not asked to send it again (it would reach Devin twice).
  expect(resendAsks()).toEqual([]);

  expect((await h.event(payload, { retryNum: 3, retryReason: 'http_error' })).status).toBe(500);
  await h.idle();
  expect(resendAsks()).toHaveLength(1);
  expect(h.devin.delivered(sessionId)).toEqual([]);
});

it('relays a reply whose first delivery could not be recorded once Slack sends it again', async () => {
  h = await Harness.start({ wrapQueue: (queue) => valve.wrap(queue) });
  const { sessionId, threadTs } = await h.linkedThread();
  valve.down = true;
  const payload = threadReply(threadTs, 'second time lucky');
  expect((await h.event(payload)).status).toBe(500);
  valve.down = false;
  expect((await h.event(payload, { retryNum: 1, retryReason: 'http_error' })).status).toBe(200);
  expect((await h.event(payload, { retryNum: 2, retryReason: 'http_timeout' })).status).toBe(200);
  expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual(['Alice (@alice, U1) via Slack: second time lucky']);
  await h.idle();
  expect(h.devin.delivered(sessionId)).toHaveLength(1);
  expect(resendAsks()).toEqual([]);
});
