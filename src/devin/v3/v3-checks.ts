import { type CheckResult, failed, passed } from '../../lib/check-result';
import { DevinApiError } from '../../relay/ports/devin-errors';
import { apiBase, DEVIN_CHECK, devinProblem } from '../shared/devin-checks';
import { DevinV3Client, type DevinV3ClientOptions } from './devin-v3-client';
import { v3RefusedKey } from './v3-refusals';

export const ORGANIZATION_CHECK = 'Devin organization';

const TOKEN_FIX =
  'create a service user in Devin\'s organization settings ("Service users") and put its cog_ token in DEVIN_API_KEY';

/**
 * The token against API v3 (who it is: `GET /v3/self`), then the organization (`DEVIN_ORG_ID`, else the service
 * user's own) and what the service user may do in it: list its sessions (`ViewOrgSessions`) and, with
 * `DEVIN_ACT_AS_SLACK_USER`, look members up (`ViewOrgMembership`).
 */
export async function v3Checks(
  options: DevinV3ClientOptions,
  deadlineMs: number,
  { actAsSlackUser }: { actAsSlackUser: boolean },
): Promise<CheckResult[]> {
  const problem = (name: string, error: unknown) =>
    devinProblem(name, error, {
      apiUrl: options.apiUrl,
      deadlineMs,
      refusedKey: { problem: v3RefusedKey(options.apiKey), fix: TOKEN_FIX },
    });
  const [token, organization] = await Promise.all([
    checkToken(new DevinV3Client(options), apiBase(options.apiUrl)).catch((error: unknown) =>
      problem(DEVIN_CHECK, error),
    ),
    checkOrganization(new DevinV3Client(options), options.orgId, actAsSlackUser).catch((error: unknown) =>
      problem(ORGANIZATION_CHECK, error),
    ),
  ]);
  return [token, organization];
}

async function checkToken(client: DevinV3Client, base: string): Promise<CheckResult> {
  const self = await client.self();
  const who = self.serviceUserName ? `service user ${self.serviceUserName}` : (self.principalType ?? 'a principal');
  const org = self.orgId ? `, organization ${self.orgId}` : ', no organization';
  return passed(DEVIN_CHECK, `${base} accepted DEVIN_API_KEY for API v3 (GET /v3/self: ${who}${org})`);
}

async function checkOrganization(
  client: DevinV3Client,
  orgId: string | undefined,
  actAsSlackUser: boolean,
): Promise<CheckResult> {
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
    throw error;
  }
  const from = orgId ? 'DEVIN_ORG_ID' : 'from GET /v3/self';
  const can = ['list its sessions (ViewOrgSessions)'];
  try {
    await client.listSessions(1);
    if (actAsSlackUser) {
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
    throw error;
  }
  return passed(ORGANIZATION_CHECK, `${org} (${from}): the service user can ${can.join(' and ')}`);
}
