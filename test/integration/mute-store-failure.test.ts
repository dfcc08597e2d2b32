import { FlakyStore } from '../support/flaky-store';
import { Harness } from '../support/harness';
import { threadReply } from '../support/slack-signing';

const POLL_MS = 5000;

let h: Harness;
let flaky: FlakyStore;
beforeEach(async () => {
  h = await Harness.start({
    wrapStore: (store) => {
      flaky = new FlakyStore(store);
      return flaky;
    },
  });
});
afterEach(() => h.close());

/** Texts the app posted in the thread, answered by Slack, in order. */
const posted = (threadTs: string) => h.posted(threadTs);

it.each([
  ['mute', 'the binding could not be written', 'set', 'thread:'],
  ['mute', 'the claim could not be taken', 'claim', 'seen-message:'],
] as const)(
  'applies `%s` from the redelivery when %s on the first delivery, and tells the thread once',
  async (keyword, _, op, prefix) => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    flaky.failNext(op, prefix);
    const message = threadReply(threadTs, keyword);
    expect((await h.event(message)).status).toBe(500);
    expect((await h.event(message, { retryNum: 1, retryReason: 'http_error' })).status).toBe(200);
    expect((await h.event(message, { retryNum: 2, retryReason: 'http_error' })).status).toBe(200);
    await h.idle();
    expect(flaky.failed).toHaveLength(1);

    h.devin.say(sessionId, 'd1', 'While muted');
    await h.poll(POLL_MS);
    expect(posted(threadTs)).toEqual([expect.stringMatching(/^:mute: Muted: Devin's messages will not be posted/)]);
    expect(h.devin.delivered(sessionId)).toEqual([]);
  },
);

it('applies `unmute` from the redelivery when the binding could not be written on the first delivery', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  await h.poll(0);
  await h.event(threadReply(threadTs, 'mute'));
  await h.idle();
  flaky.failNext('set', 'thread:');
  const unmute = threadReply(threadTs, 'unmute');
  expect((await h.event(unmute)).status).toBe(500);
  expect((await h.event(unmute, { retryNum: 1, retryReason: 'http_error' })).status).toBe(200);
  await h.idle();

  h.devin.say(sessionId, 'd1', 'After unmute');
  await h.poll(POLL_MS);
  expect(posted(threadTs)).toEqual([
    expect.stringMatching(/^:mute: Muted/),
    expect.stringMatching(/^:loud_sound: Unmuted/),
    'After unmute',
  ]);
});
