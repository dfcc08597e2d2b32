import type { Config } from '../../config/load-config';
import { refusedKeyReason } from '../../devin/http/refusals';
import { DevinClient } from '../../devin/v1/devin-v1-client';
import { DevinV3Client } from '../../devin/v3/devin-v3-client';
import { proxyDispatcher } from '../../net/proxy-dispatcher';
import { DevinApiError, DevinNetworkError } from '../../relay/ports/devin-errors';
import { type CheckResult, failed, passed } from './check-result';
import { networkReason, printableUrl, unreachable } from './network-reason';

export const DEVIN_CHECK = 'Devin API';
export const ORGANIZATION_CHECK = 'Devin organization';

const KEY_FIX = 'create a key in Devin\'s settings ("API keys") and set DEVIN_API_KEY';
const TOKEN_FIX =
  'create a service user in Devin\'s organization settings ("Service users") and put its cog_ token in DEVIN_API_KEY';
const URL_FIX = "check DEVIN_API_URL (Devin's is https://api.devin.ai)";

/**
 * The key against Devin's API with the cheapest authenticated read: API v1 lists one session; API v3 asks who the
 * token is (`GET /v3/self`).
 */
export async function checkDevin(config: Config, deadlineMs: number): Promise<CheckResult> {
  const base = baseOf(config);
  if (config.devin.version === 'v3') {
    try {
      const self = await v3Client(config, deadlineMs).self();
      const who = self.serviceUserName ? `service user ${self.serviceUserName}` : (self.principalType ?? 'a principal');
      const org = self.orgId ? `, organization ${self.orgId}` : ', no organization';
      return passed(DEVIN_CHECK, `${base} accepted DEVIN_API_KEY for API v3 (GET /v3/self: ${who}${org})`);
    } catch (error) {
      return devinProblem(DEVIN_CHECK, error, config, deadlineMs);
    }
  }
  const dispatcher = proxyDispatcher(config.proxy);
  const client = new DevinClient({
    ...(dispatcher ? { dispatcher } : {}),
    apiUrl: config.devin.apiUrl,
    apiKey: config.devin.apiKey,
    timeoutMs: Math.min(config.devin.requestTimeoutMs, deadlineMs),
  });
  try {
    const sessions = await client.listSessions(1);
    const read = sessions.length === 0 ? 'no sessions yet' : 'read the newest session';
    return passed(DEVIN_CHECK, `${base} accepted DEVIN_API_KEY (GET /v1/sessions?limit=1: ${read})`);
  } catch (error) {
    return devinProblem(DEVIN_CHECK, error, config, deadlineMs);
  }
}

/**
 * API v3 only: the organization (`DEVIN_ORG_ID`, else the service user's own) and what the service user may do in
 * it: list its sessions (`ViewOrgSessions`) and, with `DEVIN_ACT_AS_SLACK_USER`, look members up
 * (`ViewOrgMembership`). Undefined on API v1, which has no organizations.
 */
export async function checkDevinOrganization(config: Config, deadlineMs: number): Promise<CheckResult | undefined> {
  if (config.devin.version !== 'v3') return undefined;
  const client = v3Client(config, deadlineMs);
  let org: string;
  try {
    org = await client.orgId();
  } catch (error) {
    if (error instanceof DevinApiError && error.status === 200) {
      return failed(
        ORGANIZATION_CHECK,
        'GET /v3/self named no organization for DEVIN_API_KEY',
        'set DEVIN_ORG_ID (org-...)',
      );
    }
    return devinProblem(ORGANIZATION_CHECK, error, config, deadlineMs);
  }
  const from = config.devin.orgId ? 'DEVIN_ORG_ID' : 'from GET /v3/self';
  const can = ['list its sessions (ViewOrgSessions)'];
  try {
    await client.listSessions(1);
    if (config.devin.actAsSlackUser) {
      await client.findMember('devin-slack-doctor@example.invalid');
      can.push('look members up (ViewOrgMembership)');
    }
  } catch (error) {
    if (error instanceof DevinApiError && error.status === 404) {
      return failed(
        ORGANIZATION_CHECK,
        `Devin has no organization ${org} (${from}) for this service user`,
        'check DEVIN_ORG_ID',
      );
    }
    if (error instanceof DevinApiError && error.status === 403 && error.permission) {
      const fix =
        error.permission === 'ViewOrgMembership'
          ? 'grant it in Devin\'s organization settings ("Service users"), or set DEVIN_ACT_AS_SLACK_USER=false'
          : 'grant it to the service user in Devin\'s organization settings ("Service users")';
      return failed(ORGANIZATION_CHECK, `in ${org} (${from}) the service user lacks ${error.permission}`, fix);
    }
    return devinProblem(ORGANIZATION_CHECK, error, config, deadlineMs);
  }
  return passed(ORGANIZATION_CHECK, `${org} (${from}): the service user can ${can.join(' and ')}`);
}

function v3Client(config: Config, deadlineMs: number): DevinV3Client {
  const dispatcher = proxyDispatcher(config.proxy);
  return new DevinV3Client({
    ...(dispatcher ? { dispatcher } : {}),
    apiUrl: config.devin.apiUrl,
    apiKey: config.devin.apiKey,
    webUrl: config.devin.webUrl,
    ...(config.devin.orgId ? { orgId: config.devin.orgId } : {}),
    timeoutMs: Math.min(config.devin.requestTimeoutMs, deadlineMs),
  });
}

function baseOf(config: Config): string {
  return printableUrl(config.devin.apiUrl).replace(/\/+$/, '');
}

function devinProblem(name: string, error: unknown, config: Config, deadlineMs: number): CheckResult {
  const base = baseOf(config);
  if (error instanceof DevinNetworkError) {
    return failed(
      name,
      unreachable(base, networkReason(error, deadlineMs)),
      'check DEVIN_API_URL and the network (DNS, proxy, firewall)',
    );
  }
  if (error instanceof DevinApiError) {
    if (error.status === 401 && config.devin.version === 'v3') {
      return failed(
        name,
        `DEVIN_API_KEY was refused (HTTP 401): ${refusedKeyReason('v3', config.devin.apiKey)}`,
        TOKEN_FIX,
      );
    }
    if (error.unauthorized) return failed(name, `DEVIN_API_KEY was refused (HTTP ${error.status})`, KEY_FIX);
    const detail = error.detail ? `: ${error.detail}` : '';
    if (error.status === 200) return failed(name, `${base} answered, but not as Devin's API does`, URL_FIX);
    if (error.status === 429 || error.status >= 500) {
      return failed(
        name,
        `${base} answered HTTP ${error.status}${detail}`,
        "Devin's API is busy or having trouble: try again later",
      );
    }
    return failed(name, `${base} answered HTTP ${error.status}${detail}`, URL_FIX);
  }
  return failed(name, error instanceof Error ? error.message : String(error), URL_FIX);
}
