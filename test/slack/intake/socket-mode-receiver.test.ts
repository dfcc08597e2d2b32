import { App } from '@slack/bolt';
import { boltLogger } from '../../../src/slack/intake/bolt-logger';
import { SocketModeReceiver } from '../../../src/slack/intake/socket-mode-receiver';
import { captureLog } from '../../support/capture-log';
import { FakeSlack } from '../../support/fake-slack';
import { FakeSocketMode } from '../../support/fake-socket-mode';
import { slashCommand, threadReply } from '../../support/slack-signing';

let slack: FakeSlack;
let socket: FakeSocketMode;
let receiver: SocketModeReceiver;
let app: App;
let logged: ReturnType<typeof captureLog>;

beforeEach(async () => {
  slack = await FakeSlack.start();
  socket = await FakeSocketMode.start();
  slack.socketUrl = socket.url;
  logged = captureLog();
  const logger = boltLogger(logged.log);
  receiver = new SocketModeReceiver({
    appToken: 'xapp-1-receiver',
    logger,
    customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => res.end('ok') }],
    installerOptions: { port: 0, clientOptions: { slackApiUrl: slack.apiUrl } },
  });
  app = new App({
    token: 'xoxb-receiver',
    receiver,
    logger,
    clientOptions: { slackApiUrl: slack.apiUrl },
    deferInitialization: true,
  });
  app.error(async (error) => {
    throw error;
  });
  await app.init();
  await app.start();
});

afterEach(async () => {
  await app.stop();
  await socket.close();
  await slack.close();
});

/** A promise to wait on inside a listener, and the function that lets it go on. */
function gate(): { passed: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const passed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { passed, open };
}

const port = () => {
  const address = receiver.httpServer?.address();
  return typeof address === 'object' && address ? address.port : 0;
};

it('acknowledges a slash command, with its answer, as soon as the listener acks, while the listener goes on', async () => {
  const work = gate();
  let finished = false;
  app.command('/devin', async ({ ack }) => {
    await ack({ text: 'on it' });
    await work.passed;
    finished = true;
  });

  const envelopeId = socket.sendCommand(slashCommand());
  expect((await socket.waitForAck(envelopeId)).payload).toEqual({ text: 'on it' });
  expect(finished).toBe(false);
  work.open();
});

it('acknowledges an event only after its listeners finish, and gives Bolt the retry number and reason', async () => {
  const work = gate();
  const seen: Array<{ retryNum?: number; retryReason?: string }> = [];
  app.event('message', async ({ context }) => {
    seen.push({ retryNum: context.retryNum, retryReason: context.retryReason });
    await work.passed;
  });

  const envelopeId = socket.sendEvent(threadReply('1700000000.000100', 'hello'), {
    retryAttempt: 2,
    retryReason: 'timeout',
  });
  await socket.expectNoAck(envelopeId, 100);
  expect(seen).toEqual([{ retryNum: 2, retryReason: 'timeout' }]);
  work.open();
  await socket.waitForAck(envelopeId);
});

it('leaves an event unacknowledged when a listener fails, and says so once at warn without the payload', async () => {
  app.event('message', async () => {
    throw new Error('store is down');
  });

  const payload = threadReply('1700000000.000100', 'keep me');
  const envelopeId = socket.sendEvent(payload);
  const until = Date.now() + 5000;
  while (!logged.warnings().some((w) => w.includes('unacknowledged')) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await socket.expectNoAck(envelopeId);
  const warnings = logged.warnings().filter((w) => w.includes('unacknowledged'));
  expect(warnings).toEqual([`event ${payload.event_id} (retry 0) left unacknowledged, so that Slack sends it again`]);
});

it('serves its custom routes, answers 404 for any other path, and closes the socket and the port on stop', async () => {
  const health = await fetch(`http://127.0.0.1:${port()}/healthz`);
  expect([health.status, await health.text()]).toEqual([200, 'ok']);
  const unknown = await fetch(`http://127.0.0.1:${port()}/slack/events`, { method: 'POST', body: '{}' });
  expect(unknown.status).toBe(404);
  await unknown.arrayBuffer();
  expect(slack.callsTo('apps.connections.open')).toHaveLength(1);

  await app.stop();
  expect(receiver.httpServer?.listening).toBe(false);
  expect(() => socket.send({ type: 'disconnect' })).toThrow('not connected');
  await app.start();
});
