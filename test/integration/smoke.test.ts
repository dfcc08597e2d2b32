import { Harness } from '../support/harness';
import { threadReply } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

it('relays a reply in a linked thread to the session and marks it delivered', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  const res = await h.event(threadReply(threadTs, 'please also fix <@U2> &amp; the tests'));
  expect(res.status).toBe(200);
  const delivered = await h.devin.waitForDelivered(sessionId, 1);
  expect(delivered).toEqual(['Alice (@alice, U1) via Slack: please also fix @Bob & the tests']);
  const reaction = await h.slack.waitFor('reactions.add');
  expect(reaction.name).toBe('white_check_mark');
});
