import { Harness } from '../support/harness';
import { withoutOrigin } from '../support/prompts';
import { messageEvent, threadReply } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const DM = 'D1';
const createdSessions = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions');

it('starts a session from a direct message, answers in its thread, and relays replies there', async () => {
  const dm = messageEvent({ channel: DM, channel_type: 'im', text: 'add a health check endpoint' });
  expect((await h.event(dm)).status).toBe(200);
  const answer = await h.slack.waitFor('chat.postMessage', (a) => a.channel === DM && a.thread_ts === dm.event.ts);
  expect(answer.text).toMatch(/Started <https:\/\/app\.devin\.ai\/sessions\/[0-9a-f]+\|a Devin session>/);
  expect(createdSessions().map((r) => withoutOrigin(r.body.prompt))).toEqual([
    'Alice (@alice, U1) via Slack: add a health check endpoint',
  ]);
  const [session] = [...h.devin.sessions.values()];
  if (!session) throw new Error('no session');

  await h.event(threadReply(dm.event.ts, 'use /healthz', { channel: DM, channel_type: 'im' }));
  expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual(['Alice (@alice, U1) via Slack: use /healthz']);
  expect(createdSessions()).toHaveLength(1);
});

it('starts one session when Slack redelivers the direct message, and none for an aside', async () => {
  const dm = messageEvent({ channel: DM, channel_type: 'im', text: 'bump the version' });
  await h.event(dm);
  await h.event(dm, { retryNum: 1, retryReason: 'http_timeout' });
  await h.event(messageEvent({ channel: DM, channel_type: 'im', text: '(aside) just thinking out loud' }));
  const later = messageEvent({ channel: DM, channel_type: 'im', text: 'and write a changelog' });
  await h.event(later);
  await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === dm.event.ts);
  await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === later.event.ts);
  expect(createdSessions().map((r) => withoutOrigin(r.body.prompt))).toEqual([
    'Alice (@alice, U1) via Slack: bump the version',
    'Alice (@alice, U1) via Slack: and write a changelog',
  ]);
});

it('ignores top-level messages in channels: only mentions start sessions there', async () => {
  await h.event(messageEvent({ channel: 'C1', channel_type: 'channel', text: 'fix the build' }));
  const dm = messageEvent({ channel: DM, channel_type: 'im', text: 'fix the build' });
  await h.event(dm);
  await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === dm.event.ts);
  expect(createdSessions()).toHaveLength(1);
});
