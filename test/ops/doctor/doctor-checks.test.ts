import type { Config } from '../../../src/config/config-types';
import { loadConfig } from '../../../src/config/load-config';
import { describeStore } from '../../../src/config/store-url';
import { checkDevin } from '../../../src/devin/create-devin-api';
import { DEVIN_CHECK } from '../../../src/devin/shared/devin-checks';
import { ORGANIZATION_CHECK } from '../../../src/devin/v3/v3-checks';
import { runDoctor } from '../../../src/ops/doctor/run-doctor';
import { checkSlackAuth, scopesResult } from '../../../src/ops/doctor/slack-checks';
import { explainStartFailure } from '../../../src/ops/doctor/start-failure';
import { checkStore } from '../../../src/ops/doctor/store-check';
import { FakeDevin } from '../../support/fake-devin';
import { FakeSlack, MANIFEST_BOT_SCOPES } from '../../support/fake-slack';
import { freePort } from '../../support/free-port';
import { BOT_TOKEN, DEVIN_KEY, DEVIN_ORG, DEVIN_V3_TOKEN, SIGNING_SECRET } from '../../support/harness';

let slack: FakeSlack;
let devin: FakeDevin;
beforeAll(async () => {
  [slack, devin] = await Promise.all([FakeSlack.start(), FakeDevin.start({ apiKey: DEVIN_KEY })]);
});
afterAll(() => Promise.all([slack.close(), devin.close()]));

/** The check of Devin's key, and of the organization (API v3 only), among the version's checks. */
const keyCheck = async (checked: Config, deadlineMs: number) =>
  (await checkDevin(checked, deadlineMs)).find((r) => r.name === DEVIN_CHECK);
const checkDevinOrganization = async (checked: Config, deadlineMs: number) =>
  (await checkDevin(checked, deadlineMs)).find((r) => r.name === ORGANIZATION_CHECK);

const config = () =>
  loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DEVIN_API_KEY: DEVIN_KEY,
    DEVIN_API_URL: devin.url,
    STORE_URL: 'memory://',
  });

it('fails a Devin API that does not answer at the deadline, saying so', async () => {
  devin.hangNext('GET', '/v1/sessions');
  const started = Date.now();
  const result = await keyCheck(config(), 300);
  expect(Date.now() - started).toBeLessThan(2000);
  expect(result).toMatchObject({
    status: 'failed',
    detail: `could not reach ${devin.url} (no answer within 0.3 s)`,
    fix: 'check DEVIN_API_URL and the network (DNS, proxy, firewall)',
  });
});

it('fails a Slack that does not answer at the deadline, and skips the scopes it would have named', async () => {
  // Answers after 2 s, on a timer that does not keep the test process alive.
  slack.setHandler('auth.test', () => new Promise((resolve) => setTimeout(() => resolve(undefined), 2000).unref()));
  try {
    const { auth, scopes } = await checkSlackAuth(config(), 300);
    expect(auth).toMatchObject({
      status: 'failed',
      detail: `could not reach ${slack.apiUrl}auth.test (no answer within 0.3 s)`,
    });
    expect(scopes.status).toBe('skipped');
  } finally {
    slack.clearHandler('auth.test');
  }
});

it('fails the scopes check when Slack does not name them', () => {
  expect(scopesResult(undefined, ['chat:write'])).toMatchObject({
    status: 'failed',
    detail: expect.stringContaining('x-oauth-scopes'),
  });
  expect(scopesResult(['chat:write', 'extra:scope'], ['chat:write']).status).toBe('passed');
});

it('prints a Redis store as redis://host:port, never with its password', async () => {
  expect(describeStore('redis://user:hunter22secret@redis.internal:6380/2')).toBe('redis://redis.internal:6380/2');
  expect(describeStore('rediss://:hunter22secret@redis.internal')).toBe('rediss://redis.internal');
  const port = await freePort();
  const result = await checkStore(`redis://:hunter22secret@127.0.0.1:${port}`, 5000);
  expect(result.status).toBe('failed');
  expect(result.detail).toBe(`could not reach redis://127.0.0.1:${port} (connection refused)`);
  expect(JSON.stringify(result)).not.toContain('hunter22secret');
});

it('passes a memory store round trip, saying nothing is kept', async () => {
  expect(await checkStore('memory://', 1000)).toMatchObject({
    status: 'passed',
    detail: expect.stringContaining('nothing is kept when the process stops'),
  });
});

it('leaves start-up failures that are not from Slack as they were', async () => {
  await expect(explainStartFailure(new Error('listen EADDRINUSE: address already in use'), config())).resolves.toBe(
    'listen EADDRINUSE: address already in use',
  );
});

describe("Devin's API v3", () => {
  let v3: FakeDevin;
  beforeEach(async () => {
    v3 = await FakeDevin.start({ apiKey: DEVIN_V3_TOKEN, version: 'v3', orgId: DEVIN_ORG });
  });
  afterEach(() => v3.close());

  const env = (more: Record<string, string> = {}) => ({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DEVIN_API_KEY: DEVIN_V3_TOKEN,
    DEVIN_API_URL: v3.url,
    STORE_URL: 'memory://',
    ...more,
  });

  it('checks GET /v3/self and the organization it names, and lists them in the checklist', async () => {
    const report = await runDoctor({ env: env(), deadlineMs: 5000 });
    const lines = report.text.split('\n');
    expect(lines).toContain(
      `✓ Devin API: ${v3.url} accepted DEVIN_API_KEY for API v3 (GET /v3/self: service user devin-slack, organization org-test)`,
    );
    expect(lines).toContain(
      '✓ Devin organization: org-test (from GET /v3/self): the service user can list its sessions (ViewOrgSessions)',
    );
    expect(lines[0]).toContain("Devin's API v3");
    expect(report.exitCode).toBe(0);
  });

  it('says which token v3 refused, and never prints it', async () => {
    const report = await runDoctor({ env: env({ DEVIN_API_KEY: 'cog_revoked_token_value' }), deadlineMs: 5000 });
    expect(report.text).toContain(
      "✗ Devin API: DEVIN_API_KEY was refused (HTTP 401): API v3 refused DEVIN_API_KEY, a service user's cog_ token " +
        '(revoked, expired or mistyped) — create a service user in Devin\'s organization settings ("Service users") and ' +
        'put its cog_ token in DEVIN_API_KEY',
    );
    expect(report.text).not.toContain('cog_revoked_token_value');
  });

  it('names a missing permission, ViewOrgMembership only when attribution is on, and a wrong DEVIN_ORG_ID', async () => {
    v3.v3?.permissions.delete('ViewOrgMembership');
    expect(await checkDevinOrganization(loadConfig(env()), 5000)).toMatchObject({ status: 'passed' });
    expect(await checkDevinOrganization(loadConfig(env({ DEVIN_ACT_AS_SLACK_USER: 'true' })), 5000)).toMatchObject({
      status: 'failed',
      detail: 'in org-test (from GET /v3/self) the service user lacks ViewOrgMembership',
      fix: expect.stringContaining('or set DEVIN_ACT_AS_SLACK_USER=false'),
    });
    v3.v3?.permissions.delete('ViewOrgSessions');
    expect(await checkDevinOrganization(loadConfig(env()), 5000)).toMatchObject({
      status: 'failed',
      detail: 'in org-test (from GET /v3/self) the service user lacks ViewOrgSessions',
    });
    expect(await checkDevinOrganization(loadConfig(env({ DEVIN_ORG_ID: 'org-elsewhere' })), 5000)).toMatchObject({
      status: 'failed',
      detail: 'Devin has no organization org-elsewhere (DEVIN_ORG_ID) for this service user',
      fix: 'check DEVIN_ORG_ID',
    });
    if (v3.v3) v3.v3.selfOrgId = null;
    expect(await checkDevinOrganization(loadConfig(env()), 5000)).toMatchObject({
      status: 'failed',
      fix: 'set DEVIN_ORG_ID (org-...)',
    });
    expect(await checkDevinOrganization(config(), 5000)).toBeUndefined();
  });

  it('passes an app installed before users:read.email while attribution is off, and says the scope is missing', () => {
    const granted = MANIFEST_BOT_SCOPES.filter((s) => s !== 'users:read.email');
    expect(scopesResult(granted, undefined, ['users:read.email'])).toEqual({
      name: 'Slack scopes',
      status: 'passed',
      detail: `the ${granted.length} bot scopes in use are granted; not granted: users:read.email (for DEVIN_ACT_AS_SLACK_USER, which is off)`,
    });
    expect(scopesResult(granted, undefined, [])).toMatchObject({
      status: 'failed',
      detail: 'the bot token lacks users:read.email',
    });
  });
});
