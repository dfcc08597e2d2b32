import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type App,
  type CustomRoute,
  HTTPReceiver,
  type Logger,
  type Receiver,
  type ReceiverProcessEventErrorHandlerArgs,
} from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Config } from '../../config/config-types';
import type { Logger as AppLogger } from '../../lib/logger';
import { containFailures, UnknownPayloadError } from './contain-failures';
import { listen } from './http-listen';
import { BodyTooLargeError, isNonObjectPayload, MAX_BODY_BYTES, readBody } from './request-body';
import { SocketModeReceiver } from './socket-mode-receiver';
import type { SocketState } from './socket-state';

/** How long Slack is asked to wait before sending again an event refused while this process stops. */
const RETRY_AFTER_S = 5;

export interface SlackIntakeOptions {
  config: Config;
  /** Bolt's logger (for the receivers). */
  logger: Logger;
  /** The app's log, for payloads that could not be handled. */
  log: AppLogger;
  /** Web API options (Socket Mode opens its connection through the Web API). */
  clientOptions: Record<string, unknown>;
  /** Served on the app's port in both modes (`/healthz`, `/readyz`). */
  routes: CustomRoute[];
  /** The proxy that Socket Mode's connection and answers to response URLs go through, if any. */
  dispatcher?: Dispatcher | undefined;
  /** Socket Mode: where the connection's state is kept, for readiness to read. */
  socket?: SocketState;
}

/**
 * How Slack's events reach Bolt: over HTTP at `/slack/events` (answered only once the listeners finished, so that
 * what could not be recorded gets a 5xx and is sent again), or over Socket Mode (acknowledged only once handled). Both
 * can stop taking events before the app stops, so that nothing new starts while the work in flight ends.
 *
 * Signatures are Bolt's to check. Before that, a body over `MAX_BODY_BYTES` is refused (413) without being parsed, and
 * one that cannot be a Slack payload (`null`, a number) gets 400. After it, only a store outage answers 5xx (see
 * `containFailures`); a payload Bolt cannot type gets 400.
 */
export class SlackIntake {
  /** What Bolt's `App` is given: the receiver for the mode, fed through `containFailures`. */
  readonly receiver: Receiver;
  private readonly inner: HTTPReceiver | SocketModeReceiver;
  private readonly server: Server;
  private refusing: Promise<void> | undefined;

  constructor(private readonly options: SlackIntakeOptions) {
    const { config, logger, log, clientOptions, routes, dispatcher, socket } = options;
    const unknown = config.slack.appToken ? 'acknowledge' : 'reject';
    const inner = config.slack.appToken
      ? new SocketModeReceiver({
          appToken: config.slack.appToken,
          logger,
          customRoutes: routes,
          installerOptions: { port: config.port, clientOptions },
          ...(dispatcher ? { dispatcher } : {}),
          ...(socket ? { state: socket } : {}),
        })
      : new HTTPReceiver({
          signingSecret: config.slack.signingSecret ?? '',
          endpoints: '/slack/events',
          customRoutes: routes,
          processBeforeResponse: true,
          processEventErrorHandler: answerFailure,
          logger,
        });
    this.inner = inner;
    this.receiver = {
      // Receivers only ever call `processEvent` on the app they are given.
      init: (app: App) => inner.init(containFailures(app, { log, unknown, dispatcher }) as App),
      start: () => this.start(),
      stop: () => this.close(),
    };
    if (inner instanceof SocketModeReceiver) {
      this.server = inner.httpServer ?? createServer();
      return;
    }
    this.server = createServer((req, res) => {
      if (this.refusing && req.method === 'POST') {
        // Slack sends it again later, to this app's next start or to another replica.
        res.writeHead(503, { 'retry-after': String(RETRY_AFTER_S), 'content-type': 'text/plain' });
        res.end('devin-slack is stopping; send this again shortly');
        return;
      }
      if (req.method !== 'POST') {
        serve(inner, req, res);
        return;
      }
      readBody(req, MAX_BODY_BYTES)
        .then(
          (body) => {
            if (isNonObjectPayload(body, req.headers['content-type'])) {
              answer(res, 400, 'not a Slack payload: the body is not a JSON object');
              return;
            }
            // Bolt reads a body it finds already buffered, and checks its signature.
            Object.assign(req, { rawBody: body });
            serve(inner, req, res);
          },
          (error: unknown) => {
            if (error instanceof BodyTooLargeError) {
              log.warn({ limit: error.limit, path: req.url }, 'refused a request body over the size limit');
              answer(res, 413, `the body is larger than ${error.limit} bytes`, { connection: 'close' });
            } else {
              answer(res, 400, 'the request body could not be read', { connection: 'close' });
            }
          },
        )
        .catch(() => res.destroy());
    });
  }

  get mode(): 'socket' | 'http' {
    return this.options.config.slack.appToken ? 'socket' : 'http';
  }

  /** Socket Mode: whether the connection to Slack is open; undefined in HTTP mode. */
  get socketConnected(): boolean | undefined {
    return this.inner instanceof SocketModeReceiver ? this.inner.connected : undefined;
  }

  /** Starts taking events; resolves with the port the routes (and, in HTTP mode, `/slack/events`) listen on. */
  async start(): Promise<number> {
    if (this.inner instanceof SocketModeReceiver) await this.inner.start();
    else await listen(this.server, this.options.config.port);
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops taking new events: HTTP answers 503 to Slack's requests, Socket Mode disconnects. */
  refuse(): Promise<void> {
    this.refusing ??= this.inner instanceof SocketModeReceiver ? this.inner.stop() : Promise.resolve();
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

function serve(http: HTTPReceiver, req: IncomingMessage, res: ServerResponse): void {
  try {
    http.requestListener(req, res);
  } catch {
    if (!res.headersSent) answer(res, 404, 'not found');
  }
}

/**
 * Bolt's answer when processing a payload rejected: by then (see `containFailures`) that is a store outage, answered
 * 500 so that Slack sends the payload again, or a payload of no known kind, answered 400.
 */
async function answerFailure({ error, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  if (!response.headersSent) {
    if (error instanceof UnknownPayloadError) answer(response, 400, error.message);
    else answer(response, 500, 'the app could not record this payload; send it again');
  }
  return true;
}

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers });
  res.end(text);
}
