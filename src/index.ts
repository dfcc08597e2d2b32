import { exitOnSignals } from './app/shutdown';
import { startApp } from './app/start-app';
import type { Config } from './config/config-types';
import { CONFIG_HELP, ConfigError, loadConfig } from './config/load-config';
import { createDevinApi } from './devin/create-devin-api';
import { createLogger } from './lib/logger';
import { proxyDispatcher } from './net/proxy-dispatcher';
import { Metrics } from './ops/metrics';
import { createReplyQueue } from './store/create-reply-queue';
import { createStore } from './store/create-store';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n${CONFIG_HELP}\n`);
    process.exit(2);
  }
}

async function main(config: Config): Promise<void> {
  const log = createLogger({
    level: config.logLevel,
    pretty: config.prettyLogs,
    secrets: config.secrets,
  });
  // Every background loop catches its own failures; should one still escape, a store blip must not end the process.
  process.on('unhandledRejection', (reason) =>
    log.error({ err: reason }, 'a failure escaped its handler; devin-slack carries on'),
  );
  const store = await createStore(config.storeUrl);
  const metrics = new Metrics();
  // One proxy agent, when a proxy is configured, for the requests to Slack and to Devin.
  const dispatcher = proxyDispatcher(config.proxy);
  const devin = createDevinApi(config, { metrics, ...(dispatcher ? { dispatcher } : {}) });
  const queue = await createReplyQueue(store);
  const running = await startApp({ config, log, store, queue, devin, metrics, ...(dispatcher ? { dispatcher } : {}) });

  exitOnSignals({ log, app: running, store });
}

const config = configOrExit();
main(config).catch(async (error: unknown) => {
  // The doctor's checks are loaded only to explain a failed start.
  const { explainStartFailure } = await import('./ops/doctor/start-failure');
  process.stderr.write(`devin-slack failed to start: ${await explainStartFailure(error, config)}\n`);
  process.exit(1);
});
