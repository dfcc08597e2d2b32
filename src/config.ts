import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { storePassword } from './store/describe-store';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Who may steer a bound thread: anyone the allowlists admit, its starter and whom they add, or `ALLOWED_USER_IDS`. */
export type SteerPolicy = 'anyone' | 'starter' | 'allowlist';

export interface AccessConfig {
  /** Unset: no restriction. */
  users?: ReadonlySet<string>;
  channels?: ReadonlySet<string>;
  /** Workspaces besides the installing one whose people may act (Slack Connect). */
  teams?: ReadonlySet<string>;
  admins: ReadonlySet<string>;
  steer: SteerPolicy;
  /** `admins`: only `ADMIN_USER_IDS` may `/devin link` a session started elsewhere. */
  link: 'anyone' | 'admins';
  allowGuests: boolean;
}

export interface Config {
  slack: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    /** Receipt reactions per minute per workspace (Slack's Tier 3 by default; higher on some plans). */
    reactionsPerMinute: number;
  };
  devin: { apiKey: string; apiUrl: string; requestTimeoutMs: number; retryWindowMs: number; pollIntervalMs: number };
  access: AccessConfig;
  files: {
    /** `MAX_FILE_MB`: the largest file that crosses between Slack and Devin, either way. */
    maxMb: number;
    /** Hosts besides Devin's API that serve its attachments (`DEVIN_ATTACHMENT_HOSTS`). */
    devinHosts: string[];
  };
  storeUrl: string;
  port: number;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
  logLevel: LogLevel;
  /** Every secret value configured (tokens, keys, the store's password): kept out of logs, Slack and HTTP answers. */
  secrets: string[];
  /** `NODE_ENV`, as given (unset: `development`). */
  nodeEnv: string;
  /** Human-readable log lines (pino-pretty): stdout is a terminal and `NODE_ENV` is not `production`; else JSON. */
  prettyLogs: boolean;
}

/** Where to read what each variable needs; said after the configuration's problems, at start-up and by the doctor. */
export const CONFIG_HELP = "See .env.example and the README's configuration table.";

/** The variables that hold secrets: never printed, never logged. */
export const SECRET_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DEVIN_API_KEY',
  'METRICS_TOKEN',
] as const;

/** The secret values set in `env`, valid or not, so that output can be cleaned of them even when config is wrong. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  const values = [...SECRET_VARIABLES.map((name) => env[name]?.trim() ?? ''), storePassword(env.STORE_URL ?? '') ?? ''];
  return values.filter((value) => value.length >= 4);
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`devin-slack cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const milliseconds = (fallback: number, name: string) =>
  optional.pipe(
    z.coerce
      .number<string | undefined>({ error: `${name} must be a number of milliseconds` })
      .int(`${name} must be a whole number of milliseconds`)
      .positive(`${name} must be greater than 0`)
      .default(fallback),
  );

/** A comma-separated list of Slack ids (`U0123ABC,W0456DEF`); unset or blank is no list. */
const slackIds = (name: string, example: string) =>
  optional.pipe(
    z
      .string()
      .transform((v) => v.split(/[\s,]+/).filter(Boolean))
      .pipe(
        z.array(
          z.string().regex(/^[A-Z0-9]{2,}$/, `${name} must be Slack ids separated by commas, such as ${example}`),
        ),
      )
      .optional(),
  );

const schema = z.object({
  SLACK_BOT_TOKEN: optional.pipe(
    z
      .string({ error: 'SLACK_BOT_TOKEN is required: the bot token (xoxb-...) from "OAuth & Permissions"' })
      .startsWith('xoxb-', 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-'),
  ),
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional.pipe(
    z.string().startsWith('xapp-', 'SLACK_APP_TOKEN must be an app-level token starting with xapp-').optional(),
  ),
  SLACK_API_URL: optional.pipe(z.url('SLACK_API_URL must be a URL such as https://slack.com/api/').optional()),
  SLACK_REACTIONS_PER_MINUTE: optional.pipe(
    z.coerce
      .number<string | undefined>({ error: 'SLACK_REACTIONS_PER_MINUTE must be a number of reactions per minute' })
      .int('SLACK_REACTIONS_PER_MINUTE must be a whole number of reactions per minute')
      .positive('SLACK_REACTIONS_PER_MINUTE must be greater than 0')
      .default(50),
  ),
  DEVIN_API_KEY: optional.pipe(
    z.string({ error: 'DEVIN_API_KEY is required: an API key from Devin\'s settings ("API keys")' }),
  ),
  DEVIN_API_URL: optional.pipe(
    z.url('DEVIN_API_URL must be a URL such as https://api.devin.ai').default('https://api.devin.ai'),
  ),
  DEVIN_REQUEST_TIMEOUT_MS: milliseconds(15_000, 'DEVIN_REQUEST_TIMEOUT_MS'),
  DEVIN_RETRY_WINDOW_MS: milliseconds(120_000, 'DEVIN_RETRY_WINDOW_MS'),
  DEVIN_POLL_INTERVAL_MS: milliseconds(5_000, 'DEVIN_POLL_INTERVAL_MS'),
  MAX_FILE_MB: optional.pipe(
    z.coerce
      .number<string | undefined>({ error: 'MAX_FILE_MB must be a number of megabytes, such as 25' })
      .positive('MAX_FILE_MB must be greater than 0')
      .max(1024, 'MAX_FILE_MB must be at most 1024 (Slack takes files up to 1 GB)')
      .default(25),
  ),
  DEVIN_ATTACHMENT_HOSTS: optional.pipe(
    z
      .string()
      .default('storage.devin.ai')
      .transform((v) => v.split(/[\s,]+/).filter(Boolean))
      .pipe(
        z.array(
          z
            .string()
            .regex(
              /^[a-z0-9.-]+(:\d+)?$/i,
              'DEVIN_ATTACHMENT_HOSTS must be host names separated by commas, such as storage.devin.ai',
            ),
        ),
      ),
  ),
  ALLOWED_USER_IDS: slackIds('ALLOWED_USER_IDS', 'U0123ABC,U0456DEF'),
  ALLOWED_CHANNEL_IDS: slackIds('ALLOWED_CHANNEL_IDS', 'C0123ABC,G0456DEF'),
  ALLOWED_TEAM_IDS: slackIds('ALLOWED_TEAM_IDS', 'T0123ABC'),
  ADMIN_USER_IDS: slackIds('ADMIN_USER_IDS', 'U0123ABC'),
  STEER_POLICY: optional.pipe(
    z
      .enum(['anyone', 'starter', 'allowlist'], { error: 'STEER_POLICY must be one of anyone, starter, allowlist' })
      .default('anyone'),
  ),
  LINK_POLICY: optional.pipe(
    z.enum(['anyone', 'admins'], { error: 'LINK_POLICY must be anyone or admins' }).default('anyone'),
  ),
  ALLOW_GUESTS: optional.pipe(
    z.enum(['true', 'false'], { error: 'ALLOW_GUESTS must be true or false' }).default('false'),
  ),
  STORE_URL: optional.pipe(
    z
      .string()
      .regex(
        /^(sqlite:\/\/.+|rediss?:\/\/.+|memory:\/\/)$/,
        'STORE_URL must be sqlite://<path>, redis://<host>:<port> or memory://',
      )
      .default('sqlite://./data/devin-slack.sqlite'),
  ),
  PORT: optional.pipe(
    z.coerce
      .number<string | undefined>({ error: 'PORT must be a port number' })
      .int('PORT must be a whole number')
      .min(0, 'PORT must be between 0 and 65535')
      .max(65535, 'PORT must be between 0 and 65535')
      .default(3000),
  ),
  METRICS_TOKEN: optional.pipe(
    z
      .string()
      .min(16, 'METRICS_TOKEN must be at least 16 characters (a random secret, such as openssl rand -hex 24)')
      .optional(),
  ),
  LOG_LEVEL: optional.pipe(
    z
      .enum(['debug', 'info', 'warn', 'error'], { error: 'LOG_LEVEL must be one of debug, info, warn, error' })
      .default('info'),
  ),
  NODE_ENV: optional.pipe(z.string().default('development')),
});

/** Reads `.env` (when present) into the environment; existing variables win. */
export function readEnvironment(path?: string): NodeJS.ProcessEnv {
  loadDotenv({ quiet: true, ...(path ? { path } : {}) });
  return process.env;
}

/**
 * `terminal`: whether stdout is a terminal (log lines are pretty only there); by default, whether this process's is.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = readEnvironment(),
  terminal: { stdoutIsTTY: boolean } = { stdoutIsTTY: process.stdout.isTTY === true },
): Config {
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  if (!env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim()) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode ("Basic Information" > "Signing Secret"); or set SLACK_APP_TOKEN (xapp-...) to run in Socket Mode',
    );
  }
  if (parsed.success && parsed.data.STEER_POLICY === 'allowlist' && !parsed.data.ALLOWED_USER_IDS?.length) {
    problems.push('STEER_POLICY=allowlist needs ALLOWED_USER_IDS: the people who may steer sessions');
  }
  if (parsed.success && parsed.data.LINK_POLICY === 'admins' && !parsed.data.ADMIN_USER_IDS?.length) {
    problems.push('LINK_POLICY=admins needs ADMIN_USER_IDS: the people who may link sessions started elsewhere');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const set = (ids: string[] | undefined) => (ids?.length ? new Set(ids) : undefined);
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
      ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
      ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
      reactionsPerMinute: e.SLACK_REACTIONS_PER_MINUTE,
    },
    devin: {
      apiKey: e.DEVIN_API_KEY,
      apiUrl: e.DEVIN_API_URL.replace(/\/+$/, ''),
      requestTimeoutMs: e.DEVIN_REQUEST_TIMEOUT_MS,
      retryWindowMs: e.DEVIN_RETRY_WINDOW_MS,
      pollIntervalMs: e.DEVIN_POLL_INTERVAL_MS,
    },
    access: {
      ...(e.ALLOWED_USER_IDS?.length ? { users: set(e.ALLOWED_USER_IDS) } : {}),
      ...(e.ALLOWED_CHANNEL_IDS?.length ? { channels: set(e.ALLOWED_CHANNEL_IDS) } : {}),
      ...(e.ALLOWED_TEAM_IDS?.length ? { teams: set(e.ALLOWED_TEAM_IDS) } : {}),
      admins: new Set(e.ADMIN_USER_IDS ?? []),
      steer: e.STEER_POLICY,
      link: e.LINK_POLICY,
      allowGuests: e.ALLOW_GUESTS === 'true',
    },
    files: { maxMb: e.MAX_FILE_MB, devinHosts: e.DEVIN_ATTACHMENT_HOSTS },
    storeUrl: e.STORE_URL,
    port: e.PORT,
    ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}),
    logLevel: e.LOG_LEVEL,
    secrets: secretValues(env),
    nodeEnv: e.NODE_ENV,
    prettyLogs: terminal.stdoutIsTTY && e.NODE_ENV !== 'production',
  };
}
