import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { FakeSlack } from '../support/fake-slack';
import { Harness } from '../support/harness';
import { type Json, threadReply } from '../support/slack-signing';

const HELLO = {
  type: 'hello',
  num_connections: 1,
  debug_info: { host: 'test', approximate_connection_time: 3600 },
  connection_info: { app_id: 'A1' },
};

/** A Socket Mode endpoint: says hello to each connection and records what the app sends back. */
class FakeSocket {
  readonly received: Json[] = [];
  private readonly events = new EventEmitter();
  private socket: WebSocket | undefined;

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket) => {
      this.socket = socket;
      socket.on('message', (data) => {
        this.received.push(JSON.parse(String(data)));
        this.events.emit('message');
      });
      socket.send(JSON.stringify(HELLO));
    });
  }

  static async start(): Promise<FakeSocket> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    return new FakeSocket(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link`;
  }

  send(envelope: Json): void {
    if (!this.socket) throw new Error('the app has not connected to the fake Socket Mode server');
    this.socket.send(JSON.stringify(envelope));
  }

  waitForMessage(predicate: (message: Json) => boolean, timeoutMs = 5000): Promise<Json> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.find(predicate);
        if (!found) return;
        clearTimeout(timer);
        this.events.off('message', check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.events.off('message', check);
        reject(new Error(`no matching Socket Mode message; received ${JSON.stringify(this.received)}`));
      }, timeoutMs);
      this.events.on('message', check);
      check();
    });
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

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
  let socket: FakeSocket;
  beforeEach(async () => {
    socket = await FakeSocket.start();
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
    const { sessionId, threadTs } = await linkOverSocket(h, socket);
    socket.send({
      envelope_id: 'e1',
      type: 'events_api',
      payload: threadReply(threadTs, 'over the socket please'),
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
    });
    const ack = await socket.waitForMessage((m) => m.envelope_id === 'e1');
    expect(ack).toMatchObject({ envelope_id: 'e1' });
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual(['Alice (via Slack): over the socket please']);
    expect((await h.slack.waitFor('reactions.add')).name).toBe('white_check_mark');
  });
});

/** `/devin link` over the socket (HTTP requests are not served in Socket Mode). */
async function linkOverSocket(h: Harness, socket: FakeSocket): Promise<{ sessionId: string; threadTs: string }> {
  const session = h.devin.addSession();
  socket.send({
    envelope_id: 'link-1',
    type: 'slash_commands',
    payload: {
      token: 'x',
      team_id: 'T1',
      team_domain: 'acme',
      channel_id: 'C1',
      channel_name: 'general',
      user_id: 'U1',
      user_name: 'alice',
      command: '/devin',
      text: `link ${session.session_id}`,
      api_app_id: 'A1',
      response_url: h.slack.responseUrl('link'),
      trigger_id: '1.2.3',
    },
    accepts_response_payload: true,
  });
  await socket.waitForMessage((m) => m.envelope_id === 'link-1');
  await h.slack.waitForResponse((r) => r.name === 'link');
  const root = await h.slack.waitFor('chat.postMessage', (args) =>
    String(args.text).includes(session.session_id.slice(6)),
  );
  const call = h.slack.calls.find((c) => c.args === root);
  const threadTs = call?.answer?.ts;
  if (!threadTs) throw new Error('link did not post a root message');
  return { sessionId: session.session_id, threadTs };
}
