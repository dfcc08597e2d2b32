import { config as loadDotenv } from 'dotenv';
import { CONFIG_SCHEMA, CONFIG_VARIABLES } from './config-schema';
import type { Config } from './config-types';
import { devinProblems, devinVersion } from './devin-variables';
import { placeholderProblems } from './placeholders';
import { PROXY_VARIABLES, proxyVariable, secretValues } from './secrets';

/** Where to read what each variable needs; said after the configuration's problems, at start-up and by the doctor. */
export const CONFIG_HELP = 'See .env.example and docs/configuration.md.';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`devin-slack cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

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
  const parsed = CONFIG_SCHEMA.safeParse({
    ...env,
    ...Object.fromEntries(PROXY_VARIABLES.map((name) => [name, proxyVariable(env, name)])),
  });
  // A value left as the example's placeholder is named as such, instead of whatever else is wrong with it.
  const placeholders = placeholderProblems(env, CONFIG_VARIABLES);
  // Socket Mode never checks a signing secret: the example's placeholder left in it is harmless, and is not kept.
  const socketMode = Boolean(env.SLACK_APP_TOKEN?.trim()) && !placeholders.has('SLACK_APP_TOKEN');
  const unusedSecret = socketMode && placeholders.delete('SLACK_SIGNING_SECRET');
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
      ...(e.SLACK_SIGNING_SECRET && !unusedSecret ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
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
      changeFeed: e.DEVIN_CHANGE_FEED === 'true',
      safetyPollMs: e.DEVIN_SAFETY_POLL_MINUTES * 60_000,
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
