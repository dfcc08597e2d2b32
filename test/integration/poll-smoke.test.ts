import { Harness } from '../support/harness';
import { threadReply } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

it('posts Devin messages in the thread once, without echoing relayed replies', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  await h.event(threadReply(threadTs, 'hello devin'));
  await h.devin.waitForDelivered(sessionId, 1);
  await h.idle();
  const session = h.devin.sessions.get(sessionId);
  session?.messages.push({
    type: 'devin_message',
    event_id: 'ev-d1',
    message: 'Hi! I will **fix** it. <!channel>',
    timestamp: new Date().toISOString(),
  });
  await h.poll(5000);
  await h.poll(5000);
  const posts = h.slack.callsTo('chat.postMessage').filter((a) => a.thread_ts === threadTs);
  expect(posts.map((p) => p.text)).toEqual(['Hi! I will *fix* it. &lt;!channel&gt;']);
});
