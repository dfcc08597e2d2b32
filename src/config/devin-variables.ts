import { z } from 'zod';
import type { DevinApiVersion } from './config-types';
import { count, flag, milliseconds, optional } from './fields';

/** How the app reaches Devin: the key and the API version it speaks, addresses, deadlines, and files. */
export const DEVIN_VARIABLES = {
  DEVIN_API_KEY: optional
    .pipe(
      z.string({
        error:
          'DEVIN_API_KEY is required: a service user\'s token (cog_..., Devin\'s organization settings > "Service users") ' +
          'or a legacy API key (apk_..., "API keys")',
      }),
    )
    .describe('Devin API key'),
  DEVIN_API_URL: optional
    .pipe(z.url('DEVIN_API_URL must be a URL such as https://api.devin.ai').default('https://api.devin.ai'))
    .describe("base URL of Devin's API"),
  DEVIN_WEB_URL: optional
    .pipe(z.url('DEVIN_WEB_URL must be a URL such as https://app.devin.ai').default('https://app.devin.ai'))
    .describe('Devin\'s web app: where "Open in Devin" links point, and whose session links `/devin link` takes'),
  DEVIN_API_VERSION: optional
    .pipe(z.enum(['auto', 'v1', 'v3'], { error: 'DEVIN_API_VERSION must be auto, v1 or v3' }).default('auto'))
    .describe('`auto` (`cog_` tokens speak v3, `apk_` keys v1), `v1` or `v3`; a key the version refuses is an error'),
  DEVIN_ORG_ID: optional
    .pipe(
      z
        .string()
        .regex(/^org-[A-Za-z0-9_-]+$/, "DEVIN_ORG_ID must be an organization id such as org-abc123 (Devin's settings)")
        .optional(),
    )
    .describe('v3: the organization, `org-...`')
    .meta({ default: 'unset (from `GET /v3/self`)' }),
  DEVIN_ACT_AS_SLACK_USER: flag('false', 'DEVIN_ACT_AS_SLACK_USER').describe(
    "v3 only: `true` creates sessions and sends replies as the Slack person's Devin account",
  ),
  DEVIN_MAX_ACU_LIMIT: optional
    .pipe(
      z.coerce
        .number<string | undefined>({ error: 'DEVIN_MAX_ACU_LIMIT must be a number of ACUs' })
        .int('DEVIN_MAX_ACU_LIMIT must be a whole number of ACUs')
        .positive('DEVIN_MAX_ACU_LIMIT must be greater than 0')
        .optional(),
    )
    .describe('the most ACUs one session started from Slack may spend (`max_acu_limit`), a whole number')
    .meta({ default: "unset (Devin's default)" }),
  DEVIN_REQUEST_TIMEOUT_MS: milliseconds(15_000, 'DEVIN_REQUEST_TIMEOUT_MS').describe(
    "deadline of one request to Devin's API",
  ),
  DEVIN_RETRY_WINDOW_MS: milliseconds(120_000, 'DEVIN_RETRY_WINDOW_MS').describe(
    'how long a reply or a session start is retried (429, 5xx, timeouts) before the person is told',
  ),
  DEVIN_POLL_INTERVAL_MS: milliseconds(5_000, 'DEVIN_POLL_INTERVAL_MS').describe(
    'v3: how often the change feed lists the sessions that changed; v1: how often a working session is polled',
  ),
  DEVIN_CHANGE_FEED: flag('true', 'DEVIN_CHANGE_FEED').describe(
    'v3: `false` polls each session on its own schedule, as on v1, instead of reading only those that changed',
  ),
  DEVIN_SAFETY_POLL_MINUTES: count(60, 'DEVIN_SAFETY_POLL_MINUTES', 'minutes')
    .pipe(z.number().max(1440, 'DEVIN_SAFETY_POLL_MINUTES must be at most 1440 (a day)'))
    .describe('v3 with the change feed: each session is also read once in this many minutes, spread evenly'),
  MAX_FILE_MB: optional
    .pipe(
      z.coerce
        .number<string | undefined>({ error: 'MAX_FILE_MB must be a number of megabytes, such as 25' })
        .positive('MAX_FILE_MB must be greater than 0')
        .max(1024, 'MAX_FILE_MB must be at most 1024 (Slack takes files up to 1 GB)')
        .default(25),
    )
    .describe('the largest file that crosses between Slack and Devin, either way (see [Files](files.md))'),
  DEVIN_ATTACHMENT_HOSTS: optional
    .pipe(
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
    )
    .describe("other hosts of Devin's `/attachments/...` links (fetched over https with the key, posted as files)"),
};

/** `auto`: a service user's `cog_` token speaks API v3, anything else (an `apk_` key) API v1. */
export function devinVersion(setting: 'auto' | DevinApiVersion, apiKey: string): DevinApiVersion {
  if (setting !== 'auto') return setting;
  return apiKey.startsWith('cog_') ? 'v3' : 'v1';
}

/** A key that the chosen API refuses, and v3-only settings with API v1. */
export function devinProblems(e: {
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
