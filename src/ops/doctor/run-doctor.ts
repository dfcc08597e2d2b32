import type { Config } from '../../config/config-types';
import { CONFIG_HELP, ConfigError, loadConfig } from '../../config/load-config';
import { secretValues } from '../../config/secrets';
import { describeStore } from '../../config/store-url';
import { checkDevin, devinApiLabel } from '../../devin/create-devin-api';
import { DEVIN_CHECK } from '../../devin/shared/devin-checks';
import { type CheckResult, failed, passed, skipped } from '../../lib/check-result';
import { exitCodeOf, renderChecklist, renderJson } from './checklist';
import { AUTH_CHECK, checkSlackAuth, checkSocketMode, SCOPES_CHECK, SOCKET_CHECK } from './slack-checks';
import { checkStore, STORE_CHECK } from './store-check';

export const CONFIG_CHECK = 'Configuration';
/** The longest any peer (Slack, Devin, the store) is waited for. */
export const PEER_DEADLINE_MS = 10_000;

export interface DoctorOptions {
  /** The environment to check (`readEnvironment()`). */
  env: NodeJS.ProcessEnv;
  deadlineMs?: number;
  /** `text` (the checklist, by default) or `json` (for scripts). */
  format?: 'text' | 'json';
}

export interface DoctorReport {
  results: CheckResult[];
  /** The checklist to print (as JSON with `format: 'json'`). */
  text: string;
  exitCode: number;
}

/** Every check, without starting the app: the configuration first, then Slack, Devin and the store side by side. */
export async function runDoctor({
  env,
  deadlineMs = PEER_DEADLINE_MS,
  format = 'text',
}: DoctorOptions): Promise<DoctorReport> {
  const results = await runChecks(env, deadlineMs);
  const render = format === 'json' ? renderJson : renderChecklist;
  return { results, text: render(results, secretValues(env)), exitCode: exitCodeOf(results) };
}

async function runChecks(env: NodeJS.ProcessEnv, deadlineMs: number): Promise<CheckResult[]> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const count = error.problems.length === 1 ? '1 problem' : `${error.problems.length} problems`;
    const needsConfig = 'needs a valid configuration';
    return [
      failed(
        CONFIG_CHECK,
        `devin-slack cannot start: ${count}`,
        `fix the configuration. ${CONFIG_HELP}`,
        error.problems,
      ),
      ...[AUTH_CHECK, SCOPES_CHECK, SOCKET_CHECK, DEVIN_CHECK, STORE_CHECK].map((name) => skipped(name, needsConfig)),
    ];
  }
  const mode = config.slack.appToken ? 'Socket Mode' : `HTTP mode on port ${config.port}`;
  const api = devinApiLabel(config);
  const [slack, socket, devin, store] = await Promise.all([
    checkSlackAuth(config, deadlineMs),
    checkSocketMode(config, deadlineMs),
    checkDevin(config, deadlineMs),
    checkStore(config.storeUrl, deadlineMs),
  ]);
  return [
    passed(CONFIG_CHECK, `valid (${mode}; ${api}; store ${describeStore(config.storeUrl)})`),
    slack.auth,
    slack.scopes,
    socket,
    ...devin,
    store,
  ];
}
