import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Json } from './slack-signing';
import { checkCommandAnswer } from './strict-slack';
import { Waits } from './waits';

/** An acknowledgement the app sent back: `{ envelope_id, payload }`. */
export interface SocketAck {
  envelopeId: string;
  payload: Json;
  at: number;
}

export interface EventEnvelopeOptions {
  envelopeId?: string;
  /** Slack's redelivery count: 0 on the first try. */
  retryAttempt?: number;
  /** Why Slack sends it again (e.g. `timeout`); empty on the first try. */
  retryReason?: string;
}

/**
 * Slack's Socket Mode endpoint on 127.0.0.1, over real WebSockets. Point `FakeSlack.socketUrl` (the answer of
 * `apps.connections.open`) at `url`. Like Slack it says `hello` to each connection, sends envelopes to the newest
 * one, and records what the app sends back: the acknowledgements, by envelope id.
 */
export class FakeSocketMode {
  readonly acks: SocketAck[] = [];
  /** Every message the app sent, parsed. */
  readonly received: Json[] = [];
  /** The URL of each connection the app opened, in order. */
  readonly connections: string[] = [];
  private readonly waits = new Waits();
  private socket: WebSocket | undefined;

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket, request) => {
      this.socket = socket;
      this.connections.push(request.url ?? '');
      socket.on('message', (data) => this.receive(data.toString()));
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: this.server.clients.size,
          debug_info: { host: 'fake-socket-mode', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: 'A1' },
        }),
      );
    });
  }

  static async start(): Promise<FakeSocketMode> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.once('listening', () => resolve());
    });
    return new FakeSocketMode(server);
  }

  /** Shaped like Slack's (`wss://wss-primary.slack.com/link/?ticket=...&app_id=...`). */
  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link/?ticket=fake-ticket&app_id=A1`;
  }

  /** Sends a raw envelope to the newest connection. */
  send(envelope: Json): void {
    if (!this.socket || this.socket.readyState !== this.socket.OPEN) {
      throw new Error('the app is not connected to the fake Socket Mode endpoint');
    }
    this.socket.send(JSON.stringify(envelope));
  }

  /** Sends an Events API payload (as `slack-signing` builds them); returns its envelope id. */
  sendEvent(payload: Json, options: EventEnvelopeOptions = {}): string {
    const envelopeId = options.envelopeId ?? randomUUID();
    this.send({
      envelope_id: envelopeId,
      type: 'events_api',
      payload,
      accepts_response_payload: false,
      retry_attempt: options.retryAttempt ?? 0,
      retry_reason: options.retryReason ?? '',
    });
    return envelopeId;
  }

  /** Sends slash command fields (as `slashCommand()` builds them); returns its envelope id. */
  sendCommand(fields: Record<string, string>, envelopeId: string = randomUUID()): string {
    this.send({ envelope_id: envelopeId, type: 'slash_commands', payload: fields, accepts_response_payload: true });
    return envelopeId;
  }

  ackOf(envelopeId: string): SocketAck | undefined {
    return this.acks.find((a) => a.envelopeId === envelopeId);
  }

  /** Resolves with the acknowledgement of `envelopeId` (already received or future). */
  waitForAck(envelopeId: string, timeoutMs = 5000): Promise<SocketAck> {
    return this.waits.until(
      'ack',
      () => this.ackOf(envelopeId),
      () => `no ack of ${envelopeId} within ${timeoutMs} ms; acked: ${this.ackedIds()}`,
      timeoutMs,
    );
  }

  /** Rejects if `envelopeId` is acknowledged, or is acknowledged within `ms`. */
  async expectNoAck(envelopeId: string, ms = 200): Promise<void> {
    const acked = await this.waitForAck(envelopeId, ms).then(
      () => true,
      () => false,
    );
    if (acked) throw new Error(`${envelopeId} was acknowledged`);
  }

  /** Cuts every connection without a close handshake, as a network failure does; the server still takes new ones. */
  drop(): void {
    for (const client of this.server.clients) client.terminate();
  }

  /** Terminates the connections (without a close handshake) and stops listening; pending waits are rejected. */
  async close(): Promise<void> {
    this.waits.close('FakeSocketMode');
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as Json;
    this.received.push(message);
    if (typeof message.envelope_id !== 'string') return;
    const ack: SocketAck = { envelopeId: message.envelope_id, payload: message.payload ?? {}, at: Date.now() };
    this.acks.push(ack);
    checkCommandAnswer('Socket Mode acknowledgement', ack.payload);
    this.waits.emit('ack');
  }

  private ackedIds(): string {
    return JSON.stringify(this.acks.map((a) => a.envelopeId));
  }
}
