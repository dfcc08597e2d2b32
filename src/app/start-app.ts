import { describeStore } from '../config/store-url';
import { bounded } from '../lib/bounded';
import { systemClock } from '../lib/clock';
import { proxyDispatcher } from '../net/proxy-dispatcher';
import { APP_VERSION } from '../ops/app-version';
import { meteredQueue, meteredStore } from '../ops/metered-store';
import { Metrics } from '../ops/metrics';
import { startDigestTicks } from '../relay/digest-ticks';
import { startSweep } from '../relay/sweep';
import { registerListeners } from '../slack/listeners/register-listeners';
import { importLegacyOutbox } from '../store/legacy-outbox';
import { LocalLeases } from '../store/local-leases';
import { StoreLeases } from '../store/store-leases';
import { StoreLock } from '../store/store-lock';
import type { AppDeps, RunningApp } from './app-deps';
import { buildDomain } from './build-domain';
import { buildListenerDeps } from './build-listeners';
import { buildPolling } from './build-polling';
import { shutdownOf } from './shutdown';
import { openSlackEdge } from './slack-edge';
import { buildSlackPorts } from './slack-ports';

export type { AppDeps, RunningApp } from './app-deps';

/** How often replies nobody is delivering are looked for: with leases of 10 s, a dead replica's work resumes in 15 s. */
const SWEEP_MS = 5000;
/** How often the app looks whether Devin's key is due for its check (at most once a minute). */
const DEVIN_CHECK_TICK_MS = 10_000;
/** How often daily digests and reminders are looked for. */
const DIGEST_TICK_MS = 60_000;
/** How long start-up waits for Devin's first answer on the key (until then, readiness says it is being checked). */
const DEVIN_CHECK_WAIT_MS = 3000;

/**
 * Builds the app in dependency order (the edges and the domain's ports, the domain, polling, the listeners), starts
 * listening, and resumes what an earlier run left waiting.
 */
export async function startApp(deps: AppDeps): Promise<RunningApp> {
  const { config, log, devin } = deps;
  const metrics = deps.metrics ?? new Metrics();
  // Every store and queue call is timed; the same objects serve the whole app.
  const store = meteredStore(deps.store, metrics);
  const queue = meteredQueue(deps.queue, metrics);
  const clock = deps.clock ?? systemClock;
  const lifecycle = { serving: false };
  // A store of one process needs no lease in it: that process is the only possible holder.
  const leases =
    deps.leases ??
    (store.shared
      ? new StoreLeases(store, {
          onLost: (key, reason) =>
            log.warn({ lease: key, reason }, 'lost a lease; another replica takes over that work'),
        })
      : new LocalLeases());
  // Made here only when the composition root gave none; then closed with the app.
  const ownDispatcher = deps.dispatcher ? undefined : proxyDispatcher(config.proxy);
  const dispatcher = deps.dispatcher ?? ownDispatcher;

  const edge = await openSlackEdge({
    config,
    log,
    store,
    devin,
    metrics,
    clock,
    dispatcher,
    serving: () => lifecycle.serving,
  });
  const { app, intake, readiness, workspace } = edge;
  const slack = buildSlackPorts({ config, log, store, devin, clock, app, workspace, dispatcher });
  const domain = buildDomain({
    config,
    log,
    store,
    queue,
    devin,
    clock,
    leases,
    lock: new StoreLock(store),
    metrics,
    slack,
    slackClient: app.client,
    dispatcher,
    ...(deps.sayWaitMs !== undefined ? { sayWaitMs: deps.sayWaitMs } : {}),
  });
  const { listenerDeps, home, digests } = buildListenerDeps({
    app,
    log,
    store,
    clock,
    devin,
    workspace,
    domain,
    slack,
    dispatcher,
    ...(deps.homeRefreshMs !== undefined ? { homeRefreshMs: deps.homeRefreshMs } : {}),
    admins: config.access.admins,
  });
  const { poller, feed } = buildPolling({
    config,
    store,
    log,
    clock,
    devin,
    leases,
    metrics,
    domain,
    slack,
    onStatusChange: (sessionId) => home.sessionChanged(sessionId),
  });
  registerListeners(app, listenerDeps);
  metrics.describeBuild({ version: APP_VERSION, devinApiVersion: devin.version });
  metrics.readFrom({
    replies: () => queue.counts(),
    feedbackDepth: () => slack.feedbackQueue.depth(),
    watched: () => domain.watches.countByState(),
  });

  // Records written by earlier versions, moved to where this one reads them before anything runs.
  await domain.watches.upgradeSchedule(clock.now());
  await importLegacyOutbox(store, queue, log);
  await app.init();
  const port = await intake.start();
  await bounded(DEVIN_CHECK_WAIT_MS, edge.devinChecked, () => undefined);
  lifecycle.serving = true;
  readiness.start(deps.devinCheckTickMs ?? DEVIN_CHECK_TICK_MS);
  const { notReady, degraded } = await readiness.failing();
  log.info(
    {
      mode: edge.mode,
      port,
      store: describeStore(config.storeUrl),
      devin_api: config.devin.apiUrl,
      devin_api_version: devin.version,
      ...(notReady.length > 0 ? { not_ready: notReady } : {}),
      ...(degraded.length > 0 ? { degraded } : {}),
    },
    'devin-slack is ready',
  );

  const { deliverer, starts } = domain;
  await deliverer.resumeAll();
  await starts.resumeAll();
  const stopSweep = startSweep({ deliverer, starts, log }, deps.sweepMs ?? SWEEP_MS);
  if ((deps.pollTickMs ?? 1000) > 0) {
    poller.start(deps.pollTickMs ?? 1000);
    feed?.start();
  }
  const stopDigests = startDigestTicks(digests, clock, log, deps.digestTickMs ?? DIGEST_TICK_MS);

  const stop = shutdownOf({
    clock,
    stopTimers: () => {
      lifecycle.serving = false;
      stopSweep();
      readiness.stop();
      home.stop();
      stopDigests();
    },
    intake,
    inFlight: [...(feed ? [feed] : []), poller, listenerDeps.background, starts, deliverer],
    leases,
    feedback: slack.feedbackQueue,
    dispatcher: ownDispatcher,
  });
  const background = listenerDeps.background;
  return {
    app,
    port,
    deliverer,
    poller,
    ...(feed ? { feed } : {}),
    feedback: slack.feedbackQueue,
    starts,
    metrics,
    readiness,
    background,
    digests,
    stop,
  };
}
