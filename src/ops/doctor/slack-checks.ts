import type { Config } from '../../config/config-types';
import { type CheckResult, failed, passed, skipped } from '../../lib/check-result';
import { unreachable } from '../../lib/network-reason';
import { proxyDispatcher } from '../../net/proxy-dispatcher';
import { manifestBotScopes } from './manifest-scopes';
import { callSlack, type SlackReply, slackMethodUrl } from './slack-api';

export const AUTH_CHECK = 'Slack auth.test';
export const SCOPES_CHECK = 'Slack scopes';
export const SOCKET_CHECK = 'Slack Socket Mode';

/** Slack's answers for a token it does not accept. */
const REFUSED = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

const BOT_TOKEN_FIX =
  'copy the Bot User OAuth Token (xoxb-...) from the app\'s "OAuth & Permissions" page into SLACK_BOT_TOKEN ' +
  '(reinstall the app to the workspace if the token was revoked)';
const APP_TOKEN_FIX =
  'generate an app-level token with the connections:write scope under "Basic Information" > "App-Level Tokens" ' +
  'and put it (xapp-...) in SLACK_APP_TOKEN';

/** `auth.test` with the bot token: who the bot is, and (from the same answer) whether it has the manifest's scopes. */
export async function checkSlackAuth(
  config: Config,
  deadlineMs: number,
): Promise<{ auth: CheckResult; scopes: CheckResult }> {
  const url = slackMethodUrl(config.slack.apiUrl, 'auth.test');
  const reply = await callSlack(
    config.slack.apiUrl,
    'auth.test',
    config.slack.botToken,
    deadlineMs,
    proxyDispatcher(config.proxy),
  );
  const problem = replyProblem(AUTH_CHECK, reply, url, config, { variable: 'SLACK_BOT_TOKEN', fix: BOT_TOKEN_FIX });
  if (problem || !reply.reached) {
    const auth = problem ?? failed(AUTH_CHECK, 'no answer');
    return { auth, scopes: skipped(SCOPES_CHECK, `needs a working ${AUTH_CHECK}`) };
  }
  const body = reply.body ?? {};
  const auth = passed(
    AUTH_CHECK,
    `team ${String(body.team ?? '?')} (${String(body.team_id ?? '?')}), bot @${String(body.user ?? '?')} (${String(body.user_id ?? '?')})`,
  );
  return { auth, scopes: scopesResult(reply.scopes, undefined, unusedScopes(config)) };
}

/** Scopes the manifest declares for one feature, and the setting that turns it on. */
const FEATURE_SCOPES: Record<string, { setting: string; on: (config: Config) => boolean }> = {
  'users:read.email': { setting: 'DEVIN_ACT_AS_SLACK_USER', on: (config) => config.devin.actAsSlackUser },
};

/** The scopes of features this configuration leaves off: an app installed before them still passes. */
function unusedScopes(config: Config): string[] {
  return Object.entries(FEATURE_SCOPES)
    .filter(([, feature]) => !feature.on(config))
    .map(([scope]) => scope);
}

/** The bot token's granted scopes against those `manifest.yml` declares, naming each one missing. */
export function scopesResult(granted: string[] | undefined, declared?: string[], unused: string[] = []): CheckResult {
  let wanted: string[];
  try {
    wanted = declared ?? manifestBotScopes();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failed(SCOPES_CHECK, `manifest.yml could not be read (${reason})`, 'reinstall devin-slack');
  }
  if (granted === undefined) {
    return failed(
      SCOPES_CHECK,
      "Slack's answer to auth.test did not name the bot's scopes (no x-oauth-scopes header)",
      "check that SLACK_API_URL is Slack's Web API (https://slack.com/api/)",
    );
  }
  const lacking = wanted.filter((scope) => !granted.includes(scope));
  const missing = lacking.filter((scope) => !unused.includes(scope));
  if (lacking.length === 0)
    return passed(SCOPES_CHECK, `all ${wanted.length} bot scopes manifest.yml declares are granted`);
  if (missing.length === 0) {
    const off = lacking.map((scope) => `${scope} (for ${FEATURE_SCOPES[scope]?.setting ?? 'a feature'}, which is off)`);
    return passed(
      SCOPES_CHECK,
      `the ${wanted.length - lacking.length} bot scopes in use are granted; not granted: ${off.join(', ')}`,
    );
  }
  const them = missing.length === 1 ? 'it' : 'them';
  return failed(
    SCOPES_CHECK,
    `the bot token lacks ${missing.join(', ')}`,
    `add ${them} under "OAuth & Permissions" > "Bot Token Scopes" (or update the app from manifest.yml), ` +
      'then reinstall the app to the workspace',
  );
}

/** `apps.connections.open` with the app token, in Socket Mode only. The WebSocket it offers is not opened. */
export async function checkSocketMode(config: Config, deadlineMs: number): Promise<CheckResult> {
  const token = config.slack.appToken;
  if (!token)
    return skipped(SOCKET_CHECK, 'HTTP mode (SLACK_APP_TOKEN is unset): Slack sends requests to /slack/events');
  const url = slackMethodUrl(config.slack.apiUrl, 'apps.connections.open');
  const reply = await callSlack(
    config.slack.apiUrl,
    'apps.connections.open',
    token,
    deadlineMs,
    proxyDispatcher(config.proxy),
  );
  const problem = replyProblem(SOCKET_CHECK, reply, url, config, { variable: 'SLACK_APP_TOKEN', fix: APP_TOKEN_FIX });
  if (problem) return problem;
  if (!reply.reached || typeof reply.body?.url !== 'string') {
    return failed(SOCKET_CHECK, `apps.connections.open gave no WebSocket URL`, APP_TOKEN_FIX);
  }
  return passed(SOCKET_CHECK, 'apps.connections.open accepted SLACK_APP_TOKEN and offered a WebSocket (not opened)');
}

/** What went wrong with a call, in the doctor's words; undefined when Slack answered `ok: true`. */
function replyProblem(
  name: string,
  reply: SlackReply,
  url: string,
  config: Config,
  token: { variable: string; fix: string },
): CheckResult | undefined {
  const apiFix = config.slack.apiUrl
    ? 'check SLACK_API_URL and the network (DNS, proxy, firewall)'
    : 'check the network (DNS, proxy, firewall) and https://slack-status.com';
  if (!reply.reached) return failed(name, unreachable(url, reply.reason), apiFix);
  const error = typeof reply.body?.error === 'string' ? reply.body.error : undefined;
  if (reply.status === 429) return failed(name, `${url} answered HTTP 429 (rate limited)`, 'try again in a minute');
  if (reply.status >= 500) {
    return failed(name, `${url} answered HTTP ${reply.status}`, 'Slack is having trouble: try again later');
  }
  if (reply.body === undefined || typeof reply.body.ok !== 'boolean') {
    return failed(
      name,
      `${url} answered HTTP ${reply.status}, not as Slack's Web API does`,
      "check SLACK_API_URL (Slack's is https://slack.com/api/)",
    );
  }
  if (reply.body.ok) return undefined;
  if (error && REFUSED.has(error)) return failed(name, `${token.variable} was refused (${error})`, token.fix);
  if (error === 'not_allowed_token_type') {
    return failed(name, `${token.variable} is the wrong kind of token (${error})`, token.fix);
  }
  if (error === 'missing_scope') {
    const needed = typeof reply.body.needed === 'string' ? ` ${reply.body.needed}` : '';
    return failed(name, `${token.variable} lacks the scope${needed} (${error})`, token.fix);
  }
  return failed(
    name,
    `Slack answered ${error ?? 'ok: false'}`,
    "check the app's settings at https://api.slack.com/apps",
  );
}
