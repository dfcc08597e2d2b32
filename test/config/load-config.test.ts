import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { secretValues } from '../../src/config/secrets';
import { problemsOf, VALID } from '../support/config-problems';

describe('missing values', () => {
  it('reports every missing value at once, each with where to find it', () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^SLACK_BOT_TOKEN is required.*xoxb-.*OAuth & Permissions/);
    expect(problems[1]).toMatch(/^DEVIN_API_KEY is required.*API keys/);
    expect(problems[2]).toMatch(/^SLACK_SIGNING_SECRET is required in HTTP mode.*Signing Secret.*SLACK_APP_TOKEN/);
  });

  it('puts every problem in the error message', () => {
    expect(() => loadConfig({})).toThrow(
      /cannot start; fix the configuration:\n {2}- SLACK_BOT_TOKEN.*\n {2}- DEVIN_API_KEY.*\n {2}- SLACK_SIGNING_SECRET/,
    );
  });

  it('counts empty and blank strings as unset', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: '',
      DEVIN_API_KEY: '   ',
      SLACK_SIGNING_SECRET: '',
      SLACK_APP_TOKEN: '',
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['SLACK_BOT_TOKEN', 'DEVIN_API_KEY', 'SLACK_SIGNING_SECRET']);
  });

  it('treats empty optional values as unset and applies their defaults', () => {
    const config = loadConfig({
      ...VALID,
      PORT: '',
      LOG_LEVEL: '',
      STORE_URL: '',
      DEVIN_API_URL: '',
      SLACK_API_URL: '',
    });
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.storeUrl).toBe('sqlite://./data/devin-slack.sqlite');
    expect(config.devin.apiUrl).toBe('https://api.devin.ai');
    expect(config.slack.apiUrl).toBeUndefined();
  });

  it('runs in Socket Mode with an app token and no signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', DEVIN_API_KEY: 'apk', SLACK_APP_TOKEN: 'xapp-1-abc' });
    expect(config.slack.appToken).toBe('xapp-1-abc');
    expect(config.slack.signingSecret).toBeUndefined();
  });
});

describe('malformed values', () => {
  it.each([
    ['SLACK_BOT_TOKEN', 'xoxp-user-token', /^SLACK_BOT_TOKEN must be a bot token starting with xoxb-/],
    ['SLACK_APP_TOKEN', 'xoxb-not-an-app-token', /^SLACK_APP_TOKEN must be an app-level token starting with xapp-/],
    ['PORT', 'abc', /^PORT must be a port number/],
    ['PORT', '70000', /^PORT must be between 0 and 65535/],
    ['PORT', '80.5', /^PORT must be a whole number/],
    ['LOG_LEVEL', 'verbose', /^LOG_LEVEL must be one of debug, info, warn, error/],
    [
      'STORE_URL',
      'postgres://db/devin',
      /^STORE_URL must be sqlite:\/\/<path>, redis:\/\/<host>:<port> or memory:\/\//,
    ],
    ['DEVIN_RETRY_WINDOW_MS', '-5', /^DEVIN_RETRY_WINDOW_MS must be greater than 0/],
    ['DEVIN_REQUEST_TIMEOUT_MS', 'soon', /^DEVIN_REQUEST_TIMEOUT_MS must be a number of milliseconds/],
    ['DEVIN_API_URL', 'api.devin.ai', /^DEVIN_API_URL must be a URL/],
    ['SLACK_API_URL', 'slack', /^SLACK_API_URL must be a URL/],
  ])('names %s when it is %p', (name, value, message) => {
    const problems = problemsOf({ ...VALID, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reports several malformed values together', () => {
    const problems = problemsOf({
      ...VALID,
      SLACK_BOT_TOKEN: 'xoxp-1',
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      STORE_URL: 'postgres://x',
      DEVIN_RETRY_WINDOW_MS: '-1',
      DEVIN_API_URL: 'nope',
    });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(
      ['DEVIN_API_URL', 'DEVIN_RETRY_WINDOW_MS', 'LOG_LEVEL', 'PORT', 'SLACK_BOT_TOKEN', 'STORE_URL'].sort(),
    );
  });

  it('reports malformed values and missing ones together', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxp-1', PORT: 'abc' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(
      ['DEVIN_API_KEY', 'PORT', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'].sort(),
    );
  });
});

describe('defaults', () => {
  it('fills in the store, port, log level, Devin URL and timeouts', () => {
    expect(loadConfig(VALID, { stdoutIsTTY: false })).toEqual({
      slack: { botToken: 'xoxb-1-valid', signingSecret: 'signing-secret', reactionsPerMinute: 50 },
      devin: {
        apiKey: 'apk_valid',
        apiUrl: 'https://api.devin.ai',
        webUrl: 'https://app.devin.ai',
        version: 'v1',
        actAsSlackUser: false,
        requestTimeoutMs: 15_000,
        retryWindowMs: 120_000,
        pollIntervalMs: 5_000,
        changeFeed: true,
        safetyPollMs: 3_600_000,
      },
      access: { admins: new Set(), allowGuests: false, link: 'anyone', steer: 'anyone' },
      limits: {
        startsPerPersonPerHour: 10,
        startsPerWorkspacePerHour: 100,
        waitingPerSession: 500,
        waitingPerPerson: 100,
      },
      files: { maxMb: 25, devinHosts: ['storage.devin.ai'] },
      storeUrl: 'sqlite://./data/devin-slack.sqlite',
      proxy: {},
      port: 3000,
      logLevel: 'info',
      nodeEnv: 'development',
      prettyLogs: false,
      secrets: ['xoxb-1-valid', 'signing-secret', 'apk_valid'],
    });
  });

  it('uses the given values, trimmed, without a trailing slash on the Devin URL', () => {
    const config = loadConfig({
      ...VALID,
      SLACK_BOT_TOKEN: '  xoxb-2  ',
      DEVIN_API_URL: 'https://devin.example.com/',
      STORE_URL: 'redis://cache:6379',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      DEVIN_RETRY_WINDOW_MS: '5000',
      SLACK_REACTIONS_PER_MINUTE: ' 600 ',
    });
    expect(config).toMatchObject({
      slack: { botToken: 'xoxb-2', reactionsPerMinute: 600 },
      devin: { apiUrl: 'https://devin.example.com', retryWindowMs: 5000 },
      storeUrl: 'redis://cache:6379',
      port: 8080,
      logLevel: 'debug',
    });
  });
});

describe('log format', () => {
  it('logs pretty lines in a terminal outside production, and JSON lines otherwise', () => {
    expect(loadConfig(VALID, { stdoutIsTTY: true })).toMatchObject({ nodeEnv: 'development', prettyLogs: true });
    expect(loadConfig({ ...VALID, NODE_ENV: 'test' }, { stdoutIsTTY: true }).prettyLogs).toBe(true);
    expect(loadConfig({ ...VALID, NODE_ENV: 'production' }, { stdoutIsTTY: true })).toMatchObject({
      nodeEnv: 'production',
      prettyLogs: false,
    });
    expect(loadConfig(VALID, { stdoutIsTTY: false }).prettyLogs).toBe(false);
  });
});

describe('SLACK_REACTIONS_PER_MINUTE', () => {
  it.each([
    ['0', /^SLACK_REACTIONS_PER_MINUTE must be greater than 0/],
    ['-5', /^SLACK_REACTIONS_PER_MINUTE must be greater than 0/],
    ['2.5', /^SLACK_REACTIONS_PER_MINUTE must be a whole number of reactions per minute/],
    ['lots', /^SLACK_REACTIONS_PER_MINUTE must be a number of reactions per minute/],
  ])('refuses %j with a sentence saying what it must be', (value, message) => {
    const problems = problemsOf({ ...VALID, SLACK_REACTIONS_PER_MINUTE: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('defaults to Slack Tier 3 (50 a minute) when empty', () => {
    expect(loadConfig({ ...VALID, SLACK_REACTIONS_PER_MINUTE: '' }).slack.reactionsPerMinute).toBe(50);
  });
});

describe('files', () => {
  it("reads MAX_FILE_MB (25 by default) and the hosts of Devin's attachments", () => {
    expect(loadConfig({ ...VALID, MAX_FILE_MB: '' }).files.maxMb).toBe(25);
    expect(
      loadConfig({ ...VALID, MAX_FILE_MB: ' 2.5 ', DEVIN_ATTACHMENT_HOSTS: 'storage.devin.ai, files.example.com:8443' })
        .files,
    ).toEqual({ maxMb: 2.5, devinHosts: ['storage.devin.ai', 'files.example.com:8443'] });
  });

  it.each([
    ['MAX_FILE_MB', '0', /^MAX_FILE_MB must be greater than 0/],
    ['MAX_FILE_MB', 'big', /^MAX_FILE_MB must be a number of megabytes/],
    ['MAX_FILE_MB', '5000', /^MAX_FILE_MB must be at most 1024/],
    ['DEVIN_ATTACHMENT_HOSTS', 'https://storage.devin.ai/', /^DEVIN_ATTACHMENT_HOSTS must be host names/],
  ])('refuses %s=%j with a sentence saying what it must be', (name, value, message) => {
    const problems = problemsOf({ ...VALID, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('the entry point', () => {
  const entry = resolve(__dirname, '..', '..', 'src', 'index.ts');
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'devin-slack-config-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  const run = () =>
    spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), entry], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd },
      encoding: 'utf8',
      timeout: 15_000,
    });

  it('exits non-zero with every problem on stderr and no stack trace when nothing is configured', () => {
    const result = run();
    expect(result.error).toBeUndefined();
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toContain('devin-slack cannot start; fix the configuration');
    expect(result.stderr).toContain('SLACK_BOT_TOKEN is required');
    expect(result.stderr).toContain('DEVIN_API_KEY is required');
    expect(result.stderr).toContain('SLACK_SIGNING_SECRET is required');
    expect(result.stderr).not.toMatch(/^ {4}at /m);
    expect(result.stdout).toBe('');
  });

  it('reads a .env file from the working directory', () => {
    writeFileSync(
      join(cwd, '.env'),
      [
        'SLACK_BOT_TOKEN=xoxb-from-dotenv',
        'SLACK_SIGNING_SECRET=dotenv-secret',
        'DEVIN_API_KEY=apk_from_dotenv',
        'STORE_URL=memory://',
        'PORT=abc',
        '',
      ].join('\n'),
    );
    const result = run();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('PORT must be a port number');
    expect(result.stderr).not.toMatch(/SLACK_BOT_TOKEN|DEVIN_API_KEY|SLACK_SIGNING_SECRET/);
    expect(result.stderr).not.toContain('xoxb-from-dotenv');
    expect(result.stderr).not.toMatch(/^ {4}at /m);
  });
});

describe('access control', () => {
  it('reads the allowlists and policies', () => {
    const config = loadConfig({
      ...VALID,
      ALLOWED_USER_IDS: 'U0123ABC, W0456DEF',
      ALLOWED_CHANNEL_IDS: 'C1',
      ALLOWED_TEAM_IDS: 'T2',
      ADMIN_USER_IDS: 'U9',
      STEER_POLICY: 'starter',
      LINK_POLICY: 'admins',
      ALLOW_GUESTS: 'true',
    });
    expect(config.access).toEqual({
      users: new Set(['U0123ABC', 'W0456DEF']),
      channels: new Set(['C1']),
      teams: new Set(['T2']),
      admins: new Set(['U9']),
      steer: 'starter',
      link: 'admins',
      allowGuests: true,
    });
  });

  it('refuses what is not a list of Slack ids, an unknown policy, and a policy without its list', () => {
    expect(problemsOf({ ...VALID, ALLOWED_USER_IDS: 'alice,U1' })).toEqual([
      'ALLOWED_USER_IDS must be Slack ids separated by commas, such as U0123ABC,U0456DEF',
    ]);
    expect(problemsOf({ ...VALID, STEER_POLICY: 'everyone' })).toEqual([
      'STEER_POLICY must be one of anyone, starter, allowlist',
    ]);
    expect(problemsOf({ ...VALID, STEER_POLICY: 'allowlist' })).toEqual([
      'STEER_POLICY=allowlist needs ALLOWED_USER_IDS: the people who may steer sessions',
    ]);
    expect(problemsOf({ ...VALID, LINK_POLICY: 'admins' })).toEqual([
      'LINK_POLICY=admins needs ADMIN_USER_IDS: the people who may link sessions started elsewhere',
    ]);
    expect(problemsOf({ ...VALID, ALLOW_GUESTS: 'yes' })).toEqual(['ALLOW_GUESTS must be true or false']);
  });
});

describe('limits and the audit channel', () => {
  it('reads the start and reply limits and the audit channel, and refuses what is no count or no channel', () => {
    const config = loadConfig({
      ...VALID,
      STARTS_PER_PERSON_PER_HOUR: '3',
      STARTS_PER_WORKSPACE_PER_HOUR: ' 30 ',
      MAX_WAITING_REPLIES_PER_SESSION: '50',
      MAX_WAITING_REPLIES_PER_PERSON: '5',
      AUDIT_CHANNEL_ID: 'C0AUDIT',
    });
    expect(config.limits).toEqual({
      startsPerPersonPerHour: 3,
      startsPerWorkspacePerHour: 30,
      waitingPerSession: 50,
      waitingPerPerson: 5,
    });
    expect(config.auditChannelId).toBe('C0AUDIT');
    expect(loadConfig(VALID).auditChannelId).toBeUndefined();
    expect(
      problemsOf({
        ...VALID,
        STARTS_PER_PERSON_PER_HOUR: '0',
        MAX_WAITING_REPLIES_PER_PERSON: 'many',
        AUDIT_CHANNEL_ID: '#audit',
      }),
    ).toEqual([
      'STARTS_PER_PERSON_PER_HOUR must be greater than 0',
      'MAX_WAITING_REPLIES_PER_PERSON must be a number of replies',
      'AUDIT_CHANNEL_ID must be a channel id such as C0123ABC',
    ]);
  });
});

describe('the metrics token', () => {
  it('is unset by default, read when given, refused when too short to be a secret, and counted among the secrets', () => {
    expect(loadConfig(VALID).metricsToken).toBeUndefined();
    const token = 'a3f9c1d27b4e8f60';
    const config = loadConfig({ ...VALID, METRICS_TOKEN: ` ${token} ` });
    expect(config.metricsToken).toBe(token);
    expect(secretValues({ ...VALID, METRICS_TOKEN: token })).toContain(token);
    expect(problemsOf({ ...VALID, METRICS_TOKEN: 'short' })).toEqual([
      'METRICS_TOKEN must be at least 16 characters (a random secret, such as openssl rand -hex 24)',
    ]);
  });
});

describe("Devin's API version", () => {
  const V3 = { ...VALID, DEVIN_API_KEY: 'cog_service_user_token' };

  it('speaks v3 for a cog_ token and v1 for an apk_ key when the version is auto (the default)', () => {
    expect(loadConfig(V3).devin.version).toBe('v3');
    expect(loadConfig(VALID).devin.version).toBe('v1');
    expect(loadConfig({ ...V3, DEVIN_API_VERSION: 'auto' }).devin.version).toBe('v3');
  });

  it('takes an explicit version, the organization, attribution and the ACU limit', () => {
    const config = loadConfig({
      ...V3,
      DEVIN_API_VERSION: 'v3',
      DEVIN_ORG_ID: 'org-abc123',
      DEVIN_ACT_AS_SLACK_USER: 'true',
      DEVIN_MAX_ACU_LIMIT: '25',
    });
    expect(config.devin).toMatchObject({ version: 'v3', orgId: 'org-abc123', actAsSlackUser: true, maxAcuLimit: 25 });
    expect(loadConfig(V3).devin).not.toHaveProperty('maxAcuLimit');
    expect(loadConfig(V3).devin).not.toHaveProperty('orgId');
  });

  it('refuses an apk_ key with v3 and a cog_ token with v1, naming what each version needs', () => {
    expect(problemsOf({ ...VALID, DEVIN_API_VERSION: 'v3' })).toEqual([
      expect.stringMatching(/^DEVIN_API_VERSION=v3 needs a service user's cog_ token.*apk_ keys work only with API v1/),
    ]);
    expect(problemsOf({ ...V3, DEVIN_API_VERSION: 'v1' })).toEqual([
      expect.stringMatching(/^DEVIN_API_VERSION=v1 needs an apk_ key.*cog_ tokens work only with API v3/),
    ]);
  });

  it('refuses attribution with API v1, an unknown version, a malformed organization and a limit that is no count', () => {
    expect(problemsOf({ ...VALID, DEVIN_ACT_AS_SLACK_USER: 'true' })).toEqual([
      expect.stringMatching(/^DEVIN_ACT_AS_SLACK_USER=true needs API v3/),
    ]);
    expect(
      problemsOf({
        ...V3,
        DEVIN_API_VERSION: 'v2',
        DEVIN_ORG_ID: 'acme',
        DEVIN_MAX_ACU_LIMIT: '2.5',
        DEVIN_ACT_AS_SLACK_USER: 'yes',
      }),
    ).toEqual([
      'DEVIN_API_VERSION must be auto, v1 or v3',
      expect.stringMatching(/^DEVIN_ORG_ID must be an organization id such as org-/),
      'DEVIN_ACT_AS_SLACK_USER must be true or false',
      'DEVIN_MAX_ACU_LIMIT must be a whole number of ACUs',
    ]);
    expect(problemsOf({ ...V3, DEVIN_MAX_ACU_LIMIT: '0' })).toEqual(['DEVIN_MAX_ACU_LIMIT must be greater than 0']);
  });
});

describe('the change feed', () => {
  it('is on with a safety poll every 60 minutes by default, and reads both settings', () => {
    const config = loadConfig(
      { ...VALID, DEVIN_CHANGE_FEED: 'false', DEVIN_SAFETY_POLL_MINUTES: '15' },
      { stdoutIsTTY: false },
    );
    expect(config.devin).toMatchObject({ changeFeed: false, safetyPollMs: 15 * 60_000 });
  });

  it('refuses a flag that is not true or false, and a safety interval that is no count of minutes or over a day', () => {
    expect(problemsOf({ ...VALID, DEVIN_CHANGE_FEED: 'yes' })).toEqual(['DEVIN_CHANGE_FEED must be true or false']);
    expect(problemsOf({ ...VALID, DEVIN_SAFETY_POLL_MINUTES: '0' })).toEqual([
      'DEVIN_SAFETY_POLL_MINUTES must be greater than 0',
    ]);
    expect(problemsOf({ ...VALID, DEVIN_SAFETY_POLL_MINUTES: '2000' })).toEqual([
      'DEVIN_SAFETY_POLL_MINUTES must be at most 1440 (a day)',
    ]);
  });
});
