import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CustomRoute, HTTPReceiver, type Logger, type Receiver } from '@slack/bolt';
import type { Config } from '../config';
import { SocketModeReceiver } from './socket-mode-receiver';

/** How long Slack is asked to wait before sending again an event refused while this process stops. */
const RETRY_AFTER_S = 5;

export interface SlackIntakeOptions {
  config: Config;
  logger: Logger;
  /** Web API options (Socket Mode opens its connection through the Web API). */
  clientOptions: Record<string, unknown>;
  /** Served on the app's port in both modes (`/healthz`, `/readyz`). */
  routes: CustomRoute[];
}

/**
 * How Slack's events reach Bolt: over HTTP at `/slack/events` (answered only once the listeners finished, so that
 * what could not be recorded gets a 5xx and is sent again), or over Socket Mode (acknowledged only once handled). Both
 * can stop taking events before the app stops, so that nothing new starts while the work in flight ends.
 */
export class SlackIntake {
  readonly receiver: Receiver;
  private readonly server: Server;
  private refusing: Promise<void> | undefined;

  constructor(private readonly options: SlackIntakeOptions) {
    const { config, logger, clientOptions, routes } = options;
    if (config.slack.appToken) {
      const socket = new SocketModeReceiver({
        appToken: config.slack.appToken,
        logger,
        customRoutes: routes,
        installerOptions: { port: config.port, clientOptions },
      });
      this.receiver = socket;
      this.server = socket.httpServer ?? createServer();
      return;
    }
    const http = new HTTPReceiver({
      signingSecret: config.slack.signingSecret ?? '',
      endpoints: '/slack/events',
      customRoutes: routes,
      processBeforeResponse: true,
      logger,
    });
    this.receiver = http;
    this.server = createServer((req, res) => {
      if (this.refusing && req.method === 'POST') {
        // Slack sends it again later, to this app's next start or to another replica.
        res.writeHead(503, { 'retry-after': String(RETRY_AFTER_S), 'content-type': 'text/plain' });
        res.end('devin-slack is stopping; send this again shortly');
        return;
      }
      try {
        http.requestListener(req, res);
      } catch {
        res.writeHead(404).end();
      }
    });
  }

  get mode(): 'socket' | 'http' {
    return this.options.config.slack.appToken ? 'socket' : 'http';
  }

  /** Starts taking events; resolves with the port the routes (and, in HTTP mode, `/slack/events`) listen on. */
  async start(): Promise<number> {
    if (this.receiver instanceof SocketModeReceiver) await this.receiver.start();
    else await listen(this.server, this.options.config.port);
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops taking new events: HTTP answers 503 to Slack's requests, Socket Mode disconnects. */
  refuse(): Promise<void> {
    this.refusing ??= this.receiver instanceof SocketModeReceiver ? this.receiver.stop() : Promise.resolve();
    return this.refusing;
  }

  async close(): Promise<void> {
    await this.refuse();
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await closed;
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
