import { startApp } from './app';
import { ConfigError, loadConfig } from './config';
import { DevinClient } from './devin/devin-client';
import { createLogger } from './logger';
import { createReplyQueue } from './queue/create-reply-queue';
import { createStore } from './store/create-store';
import { storePassword } from './store/describe-store';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee .env.example and the README's configuration table.\n`);
    process.exit(2);
  }
  const log = createLogger({
    level: config.logLevel,
    pretty: config.prettyLogs,
    secrets: [
      config.slack.botToken,
      config.slack.signingSecret,
      config.slack.appToken,
      config.devin.apiKey,
      storePassword(config.storeUrl),
    ],
  });
  // Every background loop catches its own failures; should one still escape, a store blip must not end the process.
  process.on('unhandledRejection', (reason) =>
    log.error({ err: reason }, 'a failure escaped its handler; devin-slack carries on'),
  );
  const store = await createStore(config.storeUrl);
  const devin = new DevinClient({
    apiUrl: config.devin.apiUrl,
    apiKey: config.devin.apiKey,
    timeoutMs: config.devin.requestTimeoutMs,
  });
  const queue = await createReplyQueue(store);
  const running = await startApp({ config, log, store, queue, devin });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new events; requests in flight get 5 s; waiting replies stay recorded');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await running.stop().catch((error: unknown) => log.error({ err: error }, 'stop failed'));
    await store.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`devin-slack failed to start: ${message}\n`);
  process.exit(1);
});
