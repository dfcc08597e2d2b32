import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import type { LogLevel } from '../lib/logger';
import type { AccessConfig } from '../relay/model/access-rules';
import { placeholderProblems } from './placeholders';
import { storePassword as urlPassword } from './store-url';

/** Which of Devin's APIs the app speaks: v1 (`apk_` keys) or the organization API v3 (service users' `cog_` tokens). */
export type DevinApiVersion = 'v1' | 'v3';

export interface DevinConfig {
  apiKey: string;
  apiUrl: string;
  /** `DEVIN_WEB_URL`: Devin's web app, where "Open in Devin" links point (`<webUrl>/sessions/<id>`). */
  webUrl: string;
  /** `DEVIN_API_VERSION`, with `auto` resolved from the key's prefix. */
  version: DevinApiVersion;
  /** v3: the organization (`org-...`); unset, it is read once from `GET /v3/self`. */
  orgId?: string;
  /** v3: sessions started from Slack, and replies, are attributed to the Slack person's Devin account. */
  actAsSlackUser: boolean;
  /** Passed as `max_acu_limit` to the sessions started from Slack. */
  maxAcuLimit?: number;
  requestTimeoutMs: number;
  retryWindowMs: number;
  pollIntervalMs: number;
}

/** The proxies requests leave through; unset, they go straight to their host. */
export interface ProxyConfig {
  /** For `https:` addresses (Slack, Devin); unset, `httpProxy` serves them too. */
  httpsProxy?: string;
  /** For `http:` addresses. */
  httpProxy?: string;
  /** Hosts reached directly: comma-separated names, `.domain` suffixes, `host:port`, or `*` for all. */
  noProxy?: string;
}

/** How much one person, one workspace or one session may ask of Devin at a time. */
export interface LimitsConfig {
  /** Session starts one person may make in an hour (`STARTS_PER_PERSON_PER_HOUR`). */
  startsPerPersonPerHour: number;
  /** Session starts one workspace may make in an hour (`STARTS_PER_WORKSPACE_PER_HOUR`). */
  startsPerWorkspacePerHour: number;
  /** Replies waiting, held or failed in one session (`MAX_WAITING_REPLIES_PER_SESSION`). */
  waitingPerSession: number;
  /** Replies waiting, held or failed in one session from one person (`MAX_WAITING_REPLIES_PER_PERSON`). */
  waitingPerPerson: number;
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
  devin: DevinConfig;
  access: AccessConfig;
  limits: LimitsConfig;
  /** `AUDIT_CHANNEL_ID`: where each audit line is also posted, briefly. */
  auditChannelId?: string;
  files: {
    /** `MAX_FILE_MB`: the largest file that crosses between Slack and Devin, either way. */
    maxMb: number;
    /** Hosts besides Devin's API that serve its attachments (`DEVIN_ATTACHMENT_HOSTS`). */
    devinHosts: string[];
  };
  storeUrl: string;
  /** Outbound requests to Slack and Devin go through these (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`). */
  proxy: ProxyConfig;
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
  const urls = [env.STORE_URL, ...PROXY_VARIABLES.map((name) => proxyVariable(env, name))];
  const values = [
    ...SECRET_VARIABLES.map((name) => env[name]?.trim() ?? ''),
    ...urls.map((url) => urlPassword(url ?? '') ?? ''),
  ];
  return values.filter((value) => value.length >= 4);
}

/** The proxy variables, each also read in lower case (`https_proxy`) as curl and most tools do; upper case wins. */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'] as const;

function proxyVariable(env: NodeJS.ProcessEnv, name: (typeof PROXY_VARIABLES)[number]): string | undefined {
  return env[name]?.trim() || env[name.toLowerCase()]?.trim() || undefined;
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

/** A positive whole number with a default, such as a limit (`what`: its unit, for the message). */
const count = (fallback: number, name: string, what: string) =>
  optional.pipe(
    z.coerce
      .number<string | undefined>({ error: `${name} must be a number of ${what}` })
      .int(`${name} must be a whole number of ${what}`)
      .positive(`${name} must be greater than 0`)
      .default(fallback),
  );

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

/** A proxy's address: `http://` or `https://`, with a host (and a user and password when it asks for them). */
const proxyUrl = (name: string) =>
  optional.pipe(
    z
      .url({ protocol: /^https?$/, error: `${name} must be a proxy URL such as http://proxy.example.com:3128` })
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
    z.string({
      error:
        'DEVIN_API_KEY is required: a service user\'s token (cog_..., Devin\'s organization settings > "Service users") ' +
        'or a legacy API key (apk_..., "API keys")',
    }),
  ),
  DEVIN_API_URL: optional.pipe(
    z.url('DEVIN_API_URL must be a URL such as https://api.devin.ai').default('https://api.devin.ai'),
  ),
  DEVIN_WEB_URL: optional.pipe(
    z.url('DEVIN_WEB_URL must be a URL such as https://app.devin.ai').default('https://app.devin.ai'),
  ),
  DEVIN_API_VERSION: optional.pipe(
    z.enum(['auto', 'v1', 'v3'], { error: 'DEVIN_API_VERSION must be auto, v1 or v3' }).default('auto'),
  ),
  DEVIN_ORG_ID: optional.pipe(
    z
      .string()
      .regex(/^org-[A-Za-z0-9_-]+$/, "DEVIN_ORG_ID must be an organization id such as org-abc123 (Devin's settings)")
      .optional(),
  ),
  DEVIN_ACT_AS_SLACK_USER: optional.pipe(
    z.enum(['true', 'false'], { error: 'DEVIN_ACT_AS_SLACK_USER must be true or false' }).default('false'),
  ),
  DEVIN_MAX_ACU_LIMIT: optional.pipe(
    z.coerce
      .number<string | undefined>({ error: 'DEVIN_MAX_ACU_LIMIT must be a number of ACUs' })
      .int('DEVIN_MAX_ACU_LIMIT must be a whole number of ACUs')
      .positive('DEVIN_MAX_ACU_LIMIT must be greater than 0')
      .optional(),
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
  STARTS_PER_PERSON_PER_HOUR: count(10, 'STARTS_PER_PERSON_PER_HOUR', 'session starts'),
  STARTS_PER_WORKSPACE_PER_HOUR: count(100, 'STARTS_PER_WORKSPACE_PER_HOUR', 'session starts'),
  MAX_WAITING_REPLIES_PER_SESSION: count(500, 'MAX_WAITING_REPLIES_PER_SESSION', 'replies'),
  MAX_WAITING_REPLIES_PER_PERSON: count(100, 'MAX_WAITING_REPLIES_PER_PERSON', 'replies'),
  AUDIT_CHANNEL_ID: optional.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, 'AUDIT_CHANNEL_ID must be a channel id such as C0123ABC')
      .optional(),
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
  HTTPS_PROXY: proxyUrl('HTTPS_PROXY'),
  HTTP_PROXY: proxyUrl('HTTP_PROXY'),
  NO_PROXY: optional,
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

/** Every variable the configuration reads (`.env.example` lists each one). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

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
  const parsed = schema.safeParse({
    ...env,
    ...Object.fromEntries(PROXY_VARIABLES.map((name) => [name, proxyVariable(env, name)])),
  });
  // A value left as the example's placeholder is named as such, instead of whatever else is wrong with it.
  const placeholders = placeholderProblems(env, CONFIG_VARIABLES);
  const problems = [
    ...placeholders.values(),
    ...(parsed.success ? [] : parsed.error.issues)
      .filter((issue) => !placeholders.has(String(issue.path[0])))
      .map((issue) => issue.message),
  ];
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
  if (parsed.success) problems.push(...devinProblems(parsed.data));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const version = devinVersion(e.DEVIN_API_VERSION, e.DEVIN_API_KEY);
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
      webUrl: e.DEVIN_WEB_URL.replace(/\/+$/, ''),
      version,
      ...(e.DEVIN_ORG_ID ? { orgId: e.DEVIN_ORG_ID } : {}),
      actAsSlackUser: e.DEVIN_ACT_AS_SLACK_USER === 'true',
      ...(e.DEVIN_MAX_ACU_LIMIT ? { maxAcuLimit: e.DEVIN_MAX_ACU_LIMIT } : {}),
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
    limits: {
      startsPerPersonPerHour: e.STARTS_PER_PERSON_PER_HOUR,
      startsPerWorkspacePerHour: e.STARTS_PER_WORKSPACE_PER_HOUR,
      waitingPerSession: e.MAX_WAITING_REPLIES_PER_SESSION,
      waitingPerPerson: e.MAX_WAITING_REPLIES_PER_PERSON,
    },
    ...(e.AUDIT_CHANNEL_ID ? { auditChannelId: e.AUDIT_CHANNEL_ID } : {}),
    files: { maxMb: e.MAX_FILE_MB, devinHosts: e.DEVIN_ATTACHMENT_HOSTS },
    storeUrl: e.STORE_URL,
    proxy: {
      ...(e.HTTPS_PROXY ? { httpsProxy: e.HTTPS_PROXY } : {}),
      ...(e.HTTP_PROXY ? { httpProxy: e.HTTP_PROXY } : {}),
      ...(e.NO_PROXY ? { noProxy: e.NO_PROXY } : {}),
    },
    port: e.PORT,
    ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}),
    logLevel: e.LOG_LEVEL,
    secrets: secretValues(env),
    nodeEnv: e.NODE_ENV,
    prettyLogs: terminal.stdoutIsTTY && e.NODE_ENV !== 'production',
  };
}

/** `auto`: a service user's `cog_` token speaks API v3, anything else (an `apk_` key) API v1. */
export function devinVersion(setting: 'auto' | DevinApiVersion, apiKey: string): DevinApiVersion {
  if (setting !== 'auto') return setting;
  return apiKey.startsWith('cog_') ? 'v3' : 'v1';
}

/** A key that the chosen API refuses, and v3-only settings with API v1. */
function devinProblems(e: {
  DEVIN_API_KEY: string;
  DEVIN_API_VERSION: 'auto' | DevinApiVersion;
  DEVIN_ACT_AS_SLACK_USER: 'true' | 'false';
}): string[] {
  const problems: string[] = [];
  const key = e.DEVIN_API_KEY;
  if (e.DEVIN_API_VERSION === 'v3' && key.startsWith('apk_')) {
    problems.push(
      "DEVIN_API_VERSION=v3 needs a service user's cog_ token in DEVIN_API_KEY: apk_ keys work only with API v1 " +
        "(create a service user in Devin's organization settings, or set DEVIN_API_VERSION=v1)",
    );
  }
  if (e.DEVIN_API_VERSION === 'v1' && key.startsWith('cog_')) {
    problems.push(
      'DEVIN_API_VERSION=v1 needs an apk_ key in DEVIN_API_KEY: cog_ tokens work only with API v3 ' +
        '(set DEVIN_API_VERSION=v3, or auto)',
    );
  }
  if (e.DEVIN_ACT_AS_SLACK_USER === 'true' && devinVersion(e.DEVIN_API_VERSION, key) === 'v1') {
    problems.push(
      "DEVIN_ACT_AS_SLACK_USER=true needs API v3 (a service user's cog_ token in DEVIN_API_KEY); API v1 cannot act as a person",
    );
  }
  return problems;
}
