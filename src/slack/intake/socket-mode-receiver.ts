import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type App,
  buildReceiverRoutes,
  type CustomRoute,
  type Logger,
  type Receiver,
  type ReceiverEvent,
  type ReceiverRoutes,
} from '@slack/bolt';
import { SocketModeClient, type SocketModeOptions } from '@slack/socket-mode';
import { listen } from './http-listen';
import { SocketState } from './socket-state';

/** The options of Bolt's `SocketModeReceiver` that this app uses, in the same shape, so that this one drops in. */
export interface SocketModeReceiverOptions {
  appToken: string;
  logger: Logger;
  /** What the WebSocket connects through (a proxy); Slack's Web API calls use `clientOptions.fetch`. */
  dispatcher?: SocketModeOptions['dispatcher'];
  /** Where the connection's state is kept (one of its own unless given). */
  state?: SocketState;
  /** Served over HTTP on `installerOptions.port` (exact paths); any other path is answered 404. */
  customRoutes?: CustomRoute[];
  installerOptions?: {
    /** Port of the HTTP server for `customRoutes` (0 picks a free one); default 3000. */
    port?: number;
    /** Web API options for `apps.connections.open` (`slackApiUrl`, retries). */
    clientOptions?: SocketModeOptions['clientOptions'];
  };
}

/** What `SocketModeClient` hands its `slack_event` listeners for each envelope. */
interface SocketEnvelope {
  type: string;
  envelope_id: string;
  body: ReceiverEvent['body'];
  retry_num?: number;
  retry_reason?: string;
  ack: (response?: unknown) => Promise<void>;
}

/**
 * Socket Mode that acknowledges an Events API envelope only once the app has handled it. Bolt's own receiver acks an
 * event before any listener runs, so a thread reply that could not be recorded (the store is down) would be acked
 * and lost: Slack never sends it again. Here the envelope is acked after `app.processEvent` resolves, and left
 * unacknowledged when it rejects, so that Slack delivers it again (as HTTP mode does with `processBeforeResponse`).
 * Slash commands, actions and the other envelopes are acked as soon as their listener calls `ack()`, within the 3 s
 * Slack allows.
 */
export class SocketModeReceiver implements Receiver {
  readonly client: SocketModeClient;
  /** Serves `customRoutes` (`/healthz`); absent without them. */
  readonly httpServer: Server | undefined;
  private readonly logger: Logger;
  private readonly port: number;
  private app: App | undefined;
  private readonly state: SocketState;

  constructor({
    appToken,
    logger,
    dispatcher,
    customRoutes = [],
    installerOptions = {},
    state = new SocketState(),
  }: SocketModeReceiverOptions) {
    this.logger = logger;
    this.state = state;
    this.port = installerOptions.port ?? 3000;
    this.client = new SturdySocketModeClient({
      appToken,
      logger,
      ...(dispatcher ? { dispatcher } : {}),
      ...(installerOptions.clientOptions ? { clientOptions: installerOptions.clientOptions } : {}),
    });
    this.client.on('slack_event', (envelope: SocketEnvelope) => this.receive(envelope));
    // Open from Slack's hello until the socket closes (the client then reconnects by itself, or stops).
    this.client.on('connected', () => {
      this.state.open = true;
    });
    for (const closed of ['close', 'connecting', 'reconnecting', 'disconnecting', 'disconnected']) {
      this.client.on(closed, () => {
        this.state.open = false;
      });
    }
    const routes = buildReceiverRoutes(customRoutes);
    this.httpServer = customRoutes.length > 0 ? createServer(serveRoutes(routes, logger)) : undefined;
  }

  /** Whether the connection to Slack is open: Slack said hello, and the socket has not closed since. */
  get connected(): boolean {
    return this.state.open;
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<unknown> {
    if (this.httpServer) await listen(this.httpServer, this.port);
    return this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
    const server = this.httpServer;
    if (server?.listening) {
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    }
  }

  /** Never rejects: a failure leaves the envelope unacknowledged, which is how Slack learns to deliver it again. */
  private async receive(envelope: SocketEnvelope): Promise<void> {
    const afterListeners = envelope.type === 'events_api';
    let response: unknown;
    const event: ReceiverEvent = {
      body: envelope.body,
      ack: afterListeners
        ? async (answer?: unknown) => {
            response = answer;
          }
        : envelope.ack,
      retryNum: envelope.retry_num,
      retryReason: envelope.retry_reason,
    };
    try {
      if (!this.app) throw new Error('the receiver was not initialised with an app');
      await this.app.processEvent(event);
    } catch {
      // The app's error handler has logged why; this says what became of the envelope.
      if (afterListeners) this.logger.warn(`${labelOf(envelope)} left unacknowledged, so that Slack sends it again`);
      return;
    }
    if (!afterListeners) return;
    await envelope.ack(response).catch(() => {
      this.logger.warn(`${labelOf(envelope)} handled but not acknowledged (connection lost); Slack will send it again`);
    });
  }
}

/**
 * Slack's client, made to survive an envelope it cannot read: it reads `payload.event.type` of every Events API
 * envelope before handing it on, and throws (an unhandled rejection) when the payload or its event is missing. Such an
 * envelope can never be handled, so it is acknowledged (Slack would only send it again) and dropped, with a warning.
 */
class SturdySocketModeClient extends SocketModeClient {
  private readonly warn: (message: string) => void;

  constructor(options: SocketModeOptions & { logger: Logger }) {
    super(options);
    this.warn = (message) => options.logger.warn(message);
  }

  protected override async onWebSocketMessage(data: string | ArrayBuffer, isBinary: boolean): Promise<void> {
    try {
      await super.onWebSocketMessage(data, isBinary);
    } catch (error) {
      const envelopeId = envelopeIdOf(data);
      const reason = error instanceof Error ? error.message : String(error);
      this.warn(`an envelope Slack's client could not read (${reason}) was acknowledged and dropped`);
      // `send` is how the client acknowledges (private in its types, the one way to answer an envelope it dropped).
      const { send } = this as unknown as { send(id: string, body: object): Promise<void> };
      if (envelopeId) await send.call(this, envelopeId, {}).catch(() => undefined);
    }
  }
}

function envelopeIdOf(data: string | ArrayBuffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as { envelope_id?: unknown }).envelope_id : '';
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

function labelOf(envelope: SocketEnvelope): string {
  const body: unknown = envelope.body;
  const id = typeof body === 'object' && body !== null ? (body as { event_id?: unknown }).event_id : undefined;
  const eventId = typeof id === 'string' ? id : 'without an id';
  const reason = envelope.retry_reason ? `, ${envelope.retry_reason}` : '';
  return `event ${eventId} (retry ${envelope.retry_num ?? 0}${reason})`;
}

function serveRoutes(routes: ReceiverRoutes, logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = routes[path]?.[(req.method ?? 'GET').toUpperCase()];
    if (handler) {
      handler(req, res);
      return;
    }
    logger.debug(`no route for ${req.method} ${path}`);
    res.writeHead(404).end();
  };
}
