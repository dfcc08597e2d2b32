import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { Harness } from '../support/harness';
import { threadReply } from '../support/slack-signing';

async function getHealth(h: Harness): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${h.baseUrl}/healthz`);
  return { status: res.status, body: await res.json() };
}

describe('HTTP mode', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  it('answers /healthz with 200, ok and the http mode', async () => {
    expect(await getHealth(h)).toEqual({ status: 200, body: { ok: true, mode: 'http' } });
  });
});

describe('Socket Mode', () => {
  let h: Harness;
  let socket: FakeSocketMode;
  beforeEach(async () => {
    socket = await FakeSocketMode.start();
    const slack = await FakeSlack.start();
    slack.socketUrl = socket.url;
    h = await Harness.start({ slack, env: { SLACK_APP_TOKEN: 'xapp-1-test', SLACK_SIGNING_SECRET: '' } });
  });
  afterEach(async () => {
    await h.close();
    await socket.close();
  });

  it('opens the connection with the app token and answers /healthz with 200, ok and the socket mode', async () => {
    expect(h.config.slack.signingSecret).toBeUndefined();
    const open = h.slack.calls.find((c) => c.method === 'apps.connections.open');
    expect(open?.token).toBe('xapp-1-test');
    expect(await getHealth(h)).toEqual({ status: 200, body: { ok: true, mode: 'socket' } });
  });

  it('acknowledges an events_api envelope for a reply in a bound thread and relays it to the session', async () => {
    const session = h.devin.addSession();
    const threadTs = await h.linkSessionOverSocket(socket, session.session_id);
    const envelopeId = socket.sendEvent(threadReply(threadTs, 'over the socket please'));
    await socket.waitForAck(envelopeId);
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: over the socket please',
    ]);
    expect((await h.slack.waitFor('reactions.add')).name).toBe('white_check_mark');
  });
});
