import { z } from 'zod';
import { count, flag, optional, slackIds } from './fields';

/** Who may act, where, and how much: allowlists, policies, the audit channel, and the limits on floods. */
export const ACCESS_VARIABLES = {
  ALLOWED_USER_IDS: slackIds('ALLOWED_USER_IDS', 'U0123ABC,U0456DEF')
    .describe('comma-separated user ids who may start, link, say, steer and press buttons')
    .meta({ default: 'unset (anyone)' }),
  ALLOWED_CHANNEL_IDS: slackIds('ALLOWED_CHANNEL_IDS', 'C0123ABC,G0456DEF')
    .describe('channels where the app does anything')
    .meta({ default: 'unset (anywhere)' }),
  ALLOWED_TEAM_IDS: slackIds('ALLOWED_TEAM_IDS', 'T0123ABC').describe(
    'other workspaces (Slack Connect) whose people may act; the installing one always may',
  ),
  ADMIN_USER_IDS: slackIds('ADMIN_USER_IDS', 'U0123ABC').describe(
    'may steer every session; the only ones who may link when `LINK_POLICY=admins`',
  ),
  STEER_POLICY: optional
    .pipe(
      z
        .enum(['anyone', 'starter', 'allowlist'], { error: 'STEER_POLICY must be one of anyone, starter, allowlist' })
        .default('anyone'),
    )
    .describe('`anyone`, `starter` (plus whom they `/devin allow`) or `allowlist`; recorded with each binding'),
  LINK_POLICY: optional
    .pipe(z.enum(['anyone', 'admins'], { error: 'LINK_POLICY must be anyone or admins' }).default('anyone'))
    .describe('`anyone` or `admins`: who may `/devin link` a session'),
  STARTS_PER_PERSON_PER_HOUR: count(10, 'STARTS_PER_PERSON_PER_HOUR', 'session starts').describe(
    'session starts one person may ask for in an hour (mentions, direct messages, `/devin new`, Send to Devin)',
  ),
  STARTS_PER_WORKSPACE_PER_HOUR: count(100, 'STARTS_PER_WORKSPACE_PER_HOUR', 'session starts').describe(
    'session starts one workspace may ask for in an hour',
  ),
  MAX_WAITING_REPLIES_PER_SESSION: count(500, 'MAX_WAITING_REPLIES_PER_SESSION', 'replies').describe(
    'replies that may wait for one session (queued, held or failed); one more is refused, with :no_entry_sign: and a notice',
  ),
  MAX_WAITING_REPLIES_PER_PERSON: count(100, 'MAX_WAITING_REPLIES_PER_PERSON', 'replies').describe(
    'replies one person may have waiting for one session (queued, held or failed)',
  ),
  AUDIT_CHANNEL_ID: optional
    .pipe(
      z
        .string()
        .regex(/^[CG][A-Z0-9]{2,}$/, 'AUDIT_CHANNEL_ID must be a channel id such as C0123ABC')
        .optional(),
    )
    .describe(
      'a channel (`C…`) where each audit line is also posted, briefly (see [Audit trail](security.md#audit-trail))',
    )
    .meta({ default: 'unset (the log only)' }),
  ALLOW_GUESTS: flag('false', 'ALLOW_GUESTS').describe(
    '`true` lets guest accounts (and accounts Slack cannot vouch for) steer',
  ),
};
