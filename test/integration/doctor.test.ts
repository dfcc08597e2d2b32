import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDb } from '../../src/store/sqlite/sqlite-db';
import { AppProcess, appEnv } from '../support/app-process';
import { FakeDevin } from '../support/fake-devin';
import { FakeSlack, MANIFEST_BOT_SCOPES } from '../support/fake-slack';
import { freePort } from '../support/free-port';
import { BOT_TOKEN, DEVIN_KEY, SIGNING_SECRET } from '../support/harness';
import { freshRedisUrl } from '../support/redis-test-url';
import type { Json } from '../support/slack-signing';

const ROOT = join(__dirname, '..', '..');
const APP_TOKEN = 'xapp-1-test-app-token-5678';
const WRONG_BOT_TOKEN = 'xoxb-wrong-bot-token-9876';
const WRONG_DEVIN_KEY = 'apk_wrong_key_4321';
const SECRETS = [BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, DEVIN_KEY, WRONG_BOT_TOKEN, WRONG_DEVIN_KEY];

interface DoctorRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From the spawn to the exit. */
  ms: number;
}

/** `devin-slack doctor` from the sources, in its own process, with only `env` (and PATH, HOME, TMPDIR). */
function doctor(env: Record<string, string>, args: string[] = []): Promise<DoctorRun> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'doctor', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The checklist line of `check` (`✓ Devin API: ...`). */
function line(run: DoctorRun, check: string): string {
  const found = run.stdout.split('\n').find((l) => l.slice(2).startsWith(`${check}:`));
  if (!found) throw new Error(`no line for ${check} in:\n${run.stdout}\n${run.stderr}`);
  return found;
}

function expectNoSecret(run: DoctorRun): void {
  for (const secret of SECRETS) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
}

let dir: string;
let slack: FakeSlack;
let slackMissingScopes: FakeSlack;
let devin: FakeDevin;
let closedPort: number;
let holder: SqliteDb;
const runs: Record<string, DoctorRun> = {};
let startup: { ready: { status: number; body: string }; output: string };
/** Apps running while the doctor checks their store beside them. */
const beside: Record<string, AppProcess> = {};

/** Starts an app on `storeUrl`, then runs `doctor --json` on the same configuration beside it. */
async function doctorBeside(name: string, storeUrl: string): Promise<void> {
  beside[name] = await AppProcess.start(appEnv(slack, devin, storeUrl));
  runs[name] = await doctor(appEnv(slack, devin, storeUrl), ['--json']);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'devin-slack-doctor-'));
  [slack, slackMissingScopes, devin, closedPort] = await Promise.all([
    FakeSlack.start(),
    FakeSlack.start(),
    FakeDevin.start({ apiKey: DEVIN_KEY }),
    freePort(),
  ]);
  slack.setHandler('auth.test', (_args, call) =>
    call.token === BOT_TOKEN ? undefined : { ok: false, error: 'invalid_auth' },
  );
  slackMissingScopes.scopes = MANIFEST_BOT_SCOPES.filter((s) => s !== 'reactions:write' && s !== 'users:read');
  writeFileSync(join(dir, 'a-file'), 'not a folder');
  holder = SqliteDb.open(join(dir, 'held.sqlite'));

  const sqlite = (name: string) => `sqlite://${join(dir, name)}`;
  const env = (storeName: string, extra: Record<string, string> = {}) => appEnv(slack, devin, sqlite(storeName), extra);
  // Each check is independent of the others, so one run can carry a fault in each of three checks: fewer processes.
  const cases: Record<string, Record<string, string>> = {
    socketMode: env('socket.sqlite', { SLACK_APP_TOKEN: APP_TOKEN }),
    httpMode: env('http.sqlite'),
    refused: appEnv(slack, devin, `sqlite://${join(dir, 'a-file', 'data', 'devin-slack.sqlite')}`, {
      SLACK_BOT_TOKEN: WRONG_BOT_TOKEN,
      DEVIN_API_KEY: WRONG_DEVIN_KEY,
    }),
    unreachable: appEnv(slackMissingScopes, devin, sqlite('held.sqlite'), {
      DEVIN_API_URL: `http://127.0.0.1:${closedPort}`,
    }),
    configError: env('config.sqlite', { SLACK_BOT_TOKEN: WRONG_DEVIN_KEY, DEVIN_API_KEY: '', STEER_POLICY: 'nobody' }),
  };
  // An unreachable Slack at start-up: the app runs, degraded, saying in the doctor's words what failed.
  const app = await AppProcess.spawn(appEnv(slack, devin, sqlite('startup.sqlite'), { SLACK_API_URL: unreachable() }));
  await Promise.all([
    app.waitForLog((l) => l.msg === 'devin-slack is ready', 30_000),
    ...Object.entries(cases).map(async ([name, caseEnv]) => {
      runs[name] = await doctor(caseEnv);
    }),
  ]);
  // Beside running apps, once the timed runs above are over (the machine is shared: they would slow them).
  await Promise.all([
    doctorBeside('besideSqlite', sqlite('running.sqlite')),
    freshRedisUrl(15).then((url) => doctorBeside('besideRedis', url)),
  ]);
  const res = await fetch(`${app.baseUrl}/readyz`);
  startup = { ready: { status: res.status, body: await res.text() }, output: app.output.join('\n') };
}, 60_000);

afterAll(async () => {
  holder?.close();
  await AppProcess.killAll();
  await Promise.all([slack?.close(), slackMissingScopes?.close(), devin?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function unreachable(): string {
  return `http://127.0.0.1:${closedPort}/api/`;
}

describe('npm run doctor', () => {
  it('passes every check on a good Socket Mode configuration, calling Slack with each token and Devin with the key', () => {
    const run = runs.socketMode as DoctorRun;
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.slice(0, -1).every((l) => l.startsWith('✓ '))).toBe(true);
    expect(lines).toHaveLength(7);
    expect(line(run, 'Configuration')).toMatch(/valid \(Socket Mode; Devin's API v1; store sqlite:/);
    expect(line(run, 'Slack auth.test')).toBe('✓ Slack auth.test: team Acme (T1), bot @devin (UBOT)');
    expect(line(run, 'Slack scopes')).toContain(`all ${MANIFEST_BOT_SCOPES.length} bot scopes manifest.yml declares`);
    expect(line(run, 'Slack Socket Mode')).toContain('apps.connections.open accepted SLACK_APP_TOKEN');
    expect(line(run, 'Devin API')).toContain('accepted DEVIN_API_KEY');
    expect(line(run, 'Store')).toContain('a write, a read and a delete worked');
    expect(lines.at(-1)).toBe('devin-slack doctor: all 6 checks passed.');
    expect(slack.calls.filter((c) => c.method === 'apps.connections.open').map((c) => c.token)).toEqual([APP_TOKEN]);
    expect(slack.calls.some((c) => c.method === 'auth.test' && c.token === BOT_TOKEN)).toBe(true);
    expect(devin.requests.some((r) => r.method === 'GET' && r.path === '/v1/sessions')).toBe(true);
    expectNoSecret(run);
  });

  it('passes on a good HTTP-mode configuration, where Socket Mode is skipped', () => {
    const run = runs.httpMode as DoctorRun;
    expect(run.code).toBe(0);
    expect(line(run, 'Slack Socket Mode')).toMatch(/^- Slack Socket Mode: skipped: HTTP mode/);
    expect(run.stdout).toContain('devin-slack doctor: all 5 checks passed, 1 skipped.');
    expectNoSecret(run);
  });

  it('fails on a wrong Slack token, naming SLACK_BOT_TOKEN and where to get the right one', () => {
    const run = runs.refused as DoctorRun;
    expect(run.code).toBe(1);
    expect(line(run, 'Slack auth.test')).toMatch(
      /^✗ Slack auth.test: SLACK_BOT_TOKEN was refused \(invalid_auth\) — copy the Bot User OAuth Token .*"OAuth & Permissions"/,
    );
    expect(line(run, 'Slack scopes')).toMatch(/^- Slack scopes: skipped/);
    expect(run.stdout).toContain('3 of 4 checks failed (Slack auth.test, Devin API, Store), 2 skipped.');
    expectNoSecret(run);
  });

  it('fails on missing scopes, naming each one and saying to add them and reinstall', () => {
    const run = runs.unreachable as DoctorRun;
    expect(run.code).toBe(1);
    expect(line(run, 'Slack auth.test')).toMatch(/^✓/);
    expect(line(run, 'Slack scopes')).toBe(
      '✗ Slack scopes: the bot token lacks reactions:write, users:read — add them under "OAuth & Permissions" > ' +
        '"Bot Token Scopes" (or update the app from manifest.yml), then reinstall the app to the workspace',
    );
    expectNoSecret(run);
  });

  it('fails on a wrong Devin key, naming DEVIN_API_KEY but never its value', () => {
    const run = runs.refused as DoctorRun;
    expect(run.code).toBe(1);
    expect(line(run, 'Devin API')).toBe(
      '✗ Devin API: DEVIN_API_KEY was refused (HTTP 401) — create a key in Devin\'s settings ("API keys") and set DEVIN_API_KEY',
    );
    expectNoSecret(run);
  });

  it('fails within 10 s on an unreachable Devin, saying the base URL could not be reached rather than the key', () => {
    const run = runs.unreachable as DoctorRun;
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(10_000);
    expect(line(run, 'Devin API')).toBe(
      `✗ Devin API: could not reach http://127.0.0.1:${closedPort} (connection refused) — check DEVIN_API_URL and ` +
        'the network (DNS, proxy, firewall)',
    );
    expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    expect(run.stdout).toContain('2 of 5 checks failed (Slack scopes, Devin API), 1 skipped.');
    expectNoSecret(run);
  });

  it('fails on a SQLite path whose folder cannot be created, saying why and what to set', () => {
    const run = runs.refused as DoctorRun;
    expect(run.code).toBe(1);
    expect(line(run, 'Store')).toBe(
      `✗ Store: sqlite://${join(dir, 'a-file', 'data', 'devin-slack.sqlite')}: the folder ${join(dir, 'a-file', 'data')} ` +
        `cannot be created: ${join(dir, 'a-file')} is a file — set STORE_URL=sqlite://<path> to a file in a folder ` +
        "the app's user may write, or fix the folder",
    );
    expectNoSecret(run);
  });

  it('reads a SQLite file another process holds beside it, without its lock, and says it is in use and healthy', () => {
    const run = runs.unreachable as DoctorRun;
    expect(line(run, 'Store')).toMatch(
      /^✓ Store: sqlite:\/\/.*held\.sqlite is in use by a running devin-slack \(it holds .*held\.sqlite-lock\); read beside it without the lock: healthy \(quick_check ok, 0 values, 0 replies waiting for Devin\)$/,
    );
    expectNoSecret(run);
  });

  it.each([
    [
      'SQLite',
      'besideSqlite',
      /^sqlite:\/\/.*running\.sqlite is in use by a running devin-slack .*: healthy \(quick_check ok, \d+ values/,
    ],
    ['Redis', 'besideRedis', /^redis:\/\/127\.0\.0\.1:\d+\/15 connected; a write, a read and a delete worked$/],
  ])('passes beside a running app on %s, with JSON for scripts, and the app keeps working', async (_, name, store) => {
    const run = runs[name] as DoctorRun;
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; exit_code: number; summary: string; checks: Json[] };
    expect(report).toMatchObject({
      ok: true,
      exit_code: 0,
      summary: 'devin-slack doctor: all 5 checks passed, 1 skipped.',
    });
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['Configuration', 'passed'],
      ['Slack auth.test', 'passed'],
      ['Slack scopes', 'passed'],
      ['Slack Socket Mode', 'skipped'],
      ['Devin API', 'passed'],
      ['Store', 'passed'],
    ]);
    expect(report.checks.at(-1)?.detail).toMatch(store);
    expectNoSecret(run);
    // The app was not disturbed: it still takes a command and records what it binds.
    const app = beside[name] as AppProcess;
    const session = devin.addSession();
    const threadTs = await app.linkSession(slack, session.session_id);
    expect(threadTs).toMatch(/^\d+\.\d+$/);
    expect((await fetch(`${app.baseUrl}/readyz`)).status).toBe(200);
  });

  it('fails on a bad configuration with the words start-up uses, and skips the checks that need it', () => {
    const run = runs.configError as DoctorRun;
    expect(run.code).toBe(1);
    expect(line(run, 'Configuration')).toMatch(/^✗ Configuration: devin-slack cannot start: 3 problems — /);
    expect(run.stdout).toContain('See .env.example and docs/configuration.md.');
    expect(run.stdout).toContain('    - SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(run.stdout).toContain('    - DEVIN_API_KEY is required');
    expect(run.stdout).toContain('    - STEER_POLICY must be one of anyone, starter, allowlist');
    for (const check of ['Slack auth.test', 'Slack scopes', 'Slack Socket Mode', 'Devin API', 'Store']) {
      expect(line(run, check)).toBe(`- ${check}: skipped: needs a valid configuration`);
    }
    expectNoSecret(run);
  });
});

describe('start-up', () => {
  it('with Slack unreachable, runs degraded (in service) and says which call to which URL failed and what to check', () => {
    const words =
      `Slack did not accept auth.test: Slack auth.test: could not reach ${unreachable()}auth.test (connection refused); ` +
      'check SLACK_API_URL and the network (DNS, proxy, firewall)';
    expect(startup.output).toContain(`${words}; degraded (Slack's events are still taken and recorded)`);
    expect(startup.ready.status).toBe(200);
    expect(JSON.parse(startup.ready.body)).toMatchObject({
      status: 'degraded',
      degraded: ['slack'],
      peers: { slack: { ok: false, problem: words } },
    });
    expect(startup.output).not.toContain('A request error occurred');
    for (const secret of SECRETS) {
      expect(startup.output).not.toContain(secret);
      expect(startup.ready.body).not.toContain(secret);
    }
  });
});
