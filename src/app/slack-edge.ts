import { App, webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/config-types';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { healthRoutes } from '../ops/health-routes';
import type { Metrics } from '../ops/metrics';
import { metricsRoute } from '../ops/metrics-route';
import { createPeers, slackAnswered } from '../ops/peer-checks';
import { Readiness } from '../ops/readiness';
import type { DevinApi } from '../relay/ports/devin';
import type { Store } from '../relay/ports/store';
import { SlackWorkspace } from '../slack/directory/slack-identity';
import { boltLogger } from '../slack/intake/bolt-logger';
import { SlackIntake } from '../slack/intake/slack-intake';
import { SocketState } from '../slack/intake/socket-state';
import { slackClientOptions } from '../slack/outbound/client-options';

export interface SlackEdgeDeps {
  config: Config;
  log: Logger;
  store: Store;
  devin: DevinApi;
  metrics: Metrics;
  clock: Clock;
  dispatcher: Dispatcher | undefined;
  /** Whether the app serves (start-up has finished and it is not stopping), as `/readyz` says. */
  serving: () => boolean;
}

/** Where Slack's events come in and what the app answers about itself: Bolt's app, its receiver, `/readyz`. */
export interface SlackEdge {
  app: App;
  intake: SlackIntake;
  readiness: Readiness;
  workspace: SlackWorkspace;
  mode: 'socket' | 'http';
  /** Devin's first answer on the key (start-up waits a little for it). */
  devinChecked: Promise<unknown>;
}

/**
 * Opens the app's edge to Slack, in dependency order: the peers' status, readiness (reading the Socket Mode
 * connection's state, which the receiver keeps), the receiver with the routes, Slack asked once who the token is,
 * then Bolt's app. An answer that did not come, or a refused token, leaves the app running but not ready, asked again
 * every minute, so that a Slack outage at start-up heals by itself.
 */
export async function openSlackEdge(deps: SlackEdgeDeps): Promise<SlackEdge> {
  const { config, log, metrics, clock, devin, dispatcher } = deps;
  // Devin's and Slack's trouble leaves the app in service, degraded: shown in /readyz, /metrics and the log.
  const peers = createPeers(log, (peer, up) => metrics.peerUp.set({ peer }, up ? 1 : 0));
  const clientOptions = slackClientOptions(config, metrics, dispatcher, (answered, detail) =>
    slackAnswered(peers.slack, answered, detail),
  );
  const logger = boltLogger(log);
  const workspace = new SlackWorkspace(
    new webApi.WebClient(config.slack.botToken, { ...clientOptions, logger }),
    config,
  );
  const askSlack = () => workspace.ask();
  const mode = config.slack.appToken ? 'socket' : 'http';
  const socket = new SocketState();
  const readiness = new Readiness({
    mode,
    store: deps.store,
    devin,
    serving: deps.serving,
    ...(mode === 'socket' ? { socketOpen: () => socket.open } : {}),
    askSlack,
    now: () => clock.now(),
    log,
    peers,
    secrets: config.secrets,
  });
  devin.onKeyVerdict((accepted, detail) => readiness.keySeen(accepted, detail));
  const devinChecked = readiness.checkDevin();
  const intake = new SlackIntake({
    config,
    logger,
    log,
    clientOptions,
    routes: [...healthRoutes(readiness), metricsRoute(metrics, config.metricsToken)],
    dispatcher,
    socket,
  });
  // Slack is asked once who the token belongs to; Bolt asks again for each event only if that failed.
  const identity = await askSlack();
  readiness.slackChecked(identity);
  const app = new App({
    token: config.slack.botToken,
    receiver: intake.receiver,
    logger,
    clientOptions,
    deferInitialization: true,
    tokenVerificationEnabled: false,
    // No listener keeps conversation state: Bolt's in-memory store would only be asked (and fail) once per event.
    convoStore: false,
    ...(identity.ok && identity.botId && identity.botUserId
      ? { botId: identity.botId, botUserId: identity.botUserId }
      : {}),
  });
  return { app, intake, readiness, workspace, mode, devinChecked };
}
