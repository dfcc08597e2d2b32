import { z } from 'zod';
import { optional, proxyUrl } from './fields';

/** How the app runs: its store, its port, the proxies its requests leave through, `/metrics`, and its logs. */
export const SERVER_VARIABLES = {
  STORE_URL: optional
    .pipe(
      z
        .string()
        .regex(
          /^(sqlite:\/\/.+|rediss?:\/\/.+|memory:\/\/)$/,
          'STORE_URL must be sqlite://<path>, redis://<host>:<port> or memory://',
        )
        .default('sqlite://./data/devin-slack.sqlite'),
    )
    .describe('`sqlite://<path>`, `redis://...`, or `memory://`'),
  HTTPS_PROXY: proxyUrl('HTTPS_PROXY')
    .describe('proxy for requests to Slack (Web API, Socket Mode, files) and Devin, `http://host:port`')
    .meta({ default: 'unset (direct)' }),
  HTTP_PROXY: proxyUrl('HTTP_PROXY').describe(
    'proxy for `http://` addresses, and for `https://` ones when `HTTPS_PROXY` is unset',
  ),
  NO_PROXY: optional.describe(
    'hosts reached directly: names, `.domain` suffixes, `host:port`, `*`; lower-case forms read too',
  ),
  PORT: optional
    .pipe(
      z.coerce
        .number<string | undefined>({ error: 'PORT must be a port number' })
        .int('PORT must be a whole number')
        .min(0, 'PORT must be between 0 and 65535')
        .max(65535, 'PORT must be between 0 and 65535')
        .default(3000),
    )
    .describe('HTTP port: `/slack/events` (events, commands, interactivity), `/healthz`, `/readyz`, `/metrics`'),
  METRICS_TOKEN: optional
    .pipe(
      z
        .string()
        .min(16, 'METRICS_TOKEN must be at least 16 characters (a random secret, such as openssl rand -hex 24)')
        .optional(),
    )
    .describe('when set (16+ characters), `GET /metrics` needs `Authorization: Bearer <token>`')
    .meta({ default: 'unset (open)' }),
  LOG_LEVEL: optional
    .pipe(
      z
        .enum(['debug', 'info', 'warn', 'error'], { error: 'LOG_LEVEL must be one of debug, info, warn, error' })
        .default('info'),
    )
    .describe('`debug`, `info`, `warn`, `error`'),
  NODE_ENV: optional
    .pipe(z.string().default('development'))
    .describe('`production` keeps log lines JSON even in a terminal (see [Logs](operations.md#logs))'),
};
