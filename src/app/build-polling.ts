import type { Config } from '../config/config-types';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { ChangeFeed } from '../relay/change-feed';
import { ClosingSummaries } from '../relay/closing-summaries';
import { NewsPoster } from '../relay/news-poster';
import { NewsReader } from '../relay/news-reader';
import { defaultPollPolicy } from '../relay/poll-schedule';
import { Poller } from '../relay/poller';
import type { DevinApi } from '../relay/ports/devin';
import type { Leases } from '../relay/ports/leases';
import type { RelayMetrics } from '../relay/ports/relay-metrics';
import type { Store } from '../relay/ports/store';
import { SessionConversation } from '../relay/session-conversation';
import { SpendWatch } from '../relay/spend-watch';
import { StateDisplay } from '../relay/state-display';
import type { Domain } from './build-domain';
import type { SlackPorts } from './slack-ports';

export interface PollingDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  devin: DevinApi;
  leases: Leases;
  store: Store;
  metrics: RelayMetrics;
  domain: Domain;
  slack: SlackPorts;
  /** Told when a poll finds a session's status changed (the App Home of its people is published again). */
  onStatusChange: (sessionId: string) => void;
}

/**
 * Polling, built over the domain: the conversation that reads Devin's news, posts it and shows each session's state,
 * the poller that runs it for the sessions that are due, and (on an API that lists the sessions that changed, v3,
 * unless turned off) the change feed that makes the changed ones due, each session otherwise read by its safety poll.
 */
export function buildPolling(deps: PollingDeps) {
  const { config, log, clock, devin, domain, slack } = deps;
  const { bindings, watches, relayed, progress, ends, archives, followUp, held, ledger, waiting } = domain;
  const sessionUrl = (sessionId: string) => devin.sessionUrl(sessionId);
  const { store } = deps;
  const observers = [
    new SpendWatch({ ledger, store, slack: slack.feedback, clock, admins: [...config.access.admins], sessionUrl }),
    new ClosingSummaries({ store, ledger, ends, devin, slack: slack.feedback, clock, log, sessionUrl }),
    waiting,
  ];
  const conversation = new SessionConversation({
    bindings,
    watches,
    reader: new NewsReader({ relayed }),
    poster: new NewsPoster({
      bindings,
      watches,
      relayed,
      progress,
      slack: slack.feedback,
      files: slack.files.fromDevin,
    }),
    display: new StateDisplay({
      ends,
      archives,
      watches,
      slack: slack.feedback,
      sessionUrl,
      onStatusChange: deps.onStatusChange,
      replyWakes: devin.capabilities.wakesOnMessage,
      capOf: async (sessionId) => (await ledger.get(sessionId))?.cap,
      summarizes: true,
    }),
    followUp,
    held,
    slack: slack.feedback,
    log,
    sessionUrl,
    observers,
  });
  const listChanged = devin.listChangedSessions?.bind(devin);
  const feed =
    listChanged && config.devin.changeFeed
      ? new ChangeFeed({
          devin: { listChangedSessions: listChanged },
          store: deps.store,
          schedule: watches.schedule,
          leases: deps.leases,
          clock,
          log,
          intervalMs: config.devin.pollIntervalMs,
          metrics: deps.metrics,
        })
      : undefined;
  const poller = new Poller({
    devin,
    watches,
    conversation,
    leases: deps.leases,
    clock,
    log,
    policy: defaultPollPolicy(config.devin.pollIntervalMs, feed ? config.devin.safetyPollMs : undefined),
    concurrency: 4,
    metrics: deps.metrics,
    feedback: slack.feedback,
  });
  return { conversation, poller, feed };
}
