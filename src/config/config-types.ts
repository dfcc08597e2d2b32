import type { LogLevel } from '../lib/logger';
import type { AccessConfig } from '../relay/model/access-rules';

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
  /** v3: how often the change feed is read; v1: how often a working session is polled. */
  pollIntervalMs: number;
  /** v3: the change feed finds the sessions that changed (`DEVIN_CHANGE_FEED`); ignored on v1. */
  changeFeed: boolean;
  /** v3 with the change feed: each watched session is read at least this often (`DEVIN_SAFETY_POLL_MINUTES`). */
  safetyPollMs: number;
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
