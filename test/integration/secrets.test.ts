import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { BOT_TOKEN, DEVIN_KEY, Harness, SIGNING_SECRET } from '../support/harness';
import { threadReply } from '../support/slack-signing';

jest.setTimeout(30_000);

const APP_TOKEN = 'xapp-1-A0SECRET-1234567890-0123456789abcdef0123456789abcdef';
const SECRETS = [BOT_TOKEN, SIGNING_SECRET, DEVIN_KEY, APP_TOKEN];
const MESSAGE_PATH = '/v1/sessions/:id/message';

/** What a server that echoes the request's headers into its error answers says (each knows only its own key). */
const echoing = (key: string) => `the request had these headers: {"Authorization":"Bearer ${key}"}`;

let h: Harness;
let socket: FakeSocketMode | undefined;

afterEach(async () => {
  await h.close();
  await socket?.close();
  socket = undefined;
});

/**
 * Everything the app wrote or sent: its log, every Web API call (but the token it authenticates with) and response_url
 * post, and what it sent over the socket.
 */
function everythingSeen(): string[] {
  return [
    ...h.logs,
    ...h.slack.calls.map(({ method, args: { token: _credential, ...args } }) => `${method} ${JSON.stringify(args)}`),
    ...h.slack.responses.map((response) => JSON.stringify(response.body)),
    ...(socket?.received ?? []).map((message) => JSON.stringify(message)),
  ];
}

function expectNoSecret(): void {
  const seen = everythingSeen();
  expect(seen.length).toBeGreaterThan(20);
  for (const secret of SECRETS) {
    expect(seen.filter((text) => text.includes(secret))).toEqual([]);
  }
}

it('never logs a secret nor posts one to Slack while Slack and Devin fail, echoing the request headers', async () => {
  h = await Harness.start({ env: { LOG_LEVEL: 'debug', DEVIN_REQUEST_TIMEOUT_MS: '500' } });
  const { sessionId, threadTs } = await h.linkedThread();

  // Devin refuses a reply (400) and quotes the key back: the notice in the thread shows Devin's reason.
  h.devin.script('POST', MESSAGE_PATH, [{ status: 400, body: { detail: echoing(DEVIN_KEY) } }]);
  await h.reply(threadTs, 'refused with an echo');
  await h.slack.waitFor('chat.postMessage', (args) => String(args.text).includes('rejected that message'));
  // 500 with an echo, then no answer within the timeout, then delivered.
  h.devin.script('POST', MESSAGE_PATH, [{ status: 500, body: echoing(DEVIN_KEY) }]);
  h.devin.hangNext('POST', MESSAGE_PATH, { thenDeliver: true });
  await h.reply(threadTs, 'delivered in the end');
  await h.devin.waitForDelivered(sessionId, 1, 10_000);
  // The key refused (401), quoted back.
  h.devin.script('POST', MESSAGE_PATH, [{ status: 401, body: { detail: echoing(DEVIN_KEY) } }]);
  await h.reply(threadTs, 'refused key');
  await h.waitForLog((entry) => String(entry.msg).includes('Devin refused DEVIN_API_KEY'));

  // A session start Devin refuses, quoting the key: the person is told why.
  h.devin.script('POST', '/v1/sessions', [{ status: 422, body: { detail: echoing(DEVIN_KEY) } }]);
  await h.command('new fix the flaky test', { response_url: h.slack.responseUrl('refused-start') });
  await h.idle();

  // Slack fails: 500 and ok:false answers that quote the token, and a 429.
  h.slack.failNext('chat.postMessage', { status: 500, body: echoing(BOT_TOKEN) });
  h.slack.failNext('reactions.add', { body: { ok: false, error: 'invalid_auth', echo: echoing(BOT_TOKEN) } }, 3);
  h.slack.failNext('users.info', {
    status: 429,
    headers: { 'retry-after': '0' },
    body: { ok: false, error: 'ratelimited' },
  });
  h.devin.say(sessionId, 'ev-1', 'news from Devin while Slack fails');
  await h.poll(10_000);
  await h.idle();

  // The store fails.
  await h.store.close();
  expect((await h.event(threadReply(threadTs, 'during a store outage'))).status).toBe(500);

  const shown = [...h.slack.callsTo('chat.postMessage'), ...h.slack.callsTo('chat.update')].map((args) =>
    JSON.stringify(args),
  );
  expect(shown.some((text) => text.includes('[redacted]'))).toBe(true);
  expect(h.logs.some((line) => line.includes('http request headers'))).toBe(true);
  expectNoSecret();
});

it('never logs a secret in Socket Mode, when opening the connection fails with an echo and events fail', async () => {
  socket = await FakeSocketMode.start();
  const slack = await FakeSlack.start();
  slack.socketUrl = socket.url;
  slack.failNext('apps.connections.open', { status: 500, body: echoing(APP_TOKEN) });
  h = await Harness.start({
    slack,
    env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '', LOG_LEVEL: 'debug' },
  });
  const session = h.devin.addSession();
  const threadTs = await h.linkSessionOverSocket(socket, session.session_id);

  h.devin.script('POST', MESSAGE_PATH, [{ status: 400, body: { detail: echoing(DEVIN_KEY) } }]);
  await socket.waitForAck(socket.sendEvent(threadReply(threadTs, 'over the socket')));
  await h.slack.waitFor('chat.postMessage', (args) => String(args.text).includes('rejected that message'));
  socket.send({ envelope_id: 'broken-1', type: 'events_api', payload: null });
  await socket.waitForAck('broken-1');
  await h.store.close();
  const unrecorded = threadReply(threadTs, 'during a store outage');
  socket.sendEvent(unrecorded);
  await h.waitForLog((entry) => String(entry.msg).includes(`${unrecorded.event_id} (retry 0) left unacknowledged`));

  expect(h.slack.callsTo('apps.connections.open').length).toBeGreaterThanOrEqual(2);
  expectNoSecret();
});
