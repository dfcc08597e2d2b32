import { App, webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/load-config';
import { sessionWebUrl } from '../devin/session-ref';
import { bounded } from '../lib/bounded';
import { type Clock, systemClock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { proxyDispatcher } from '../net/proxy-dispatcher';
import { APP_VERSION } from '../ops/app-version';
import { AuditTrail } from '../ops/audit-trail';
import { healthRoutes } from '../ops/health-routes';
import { meteredQueue, meteredStore } from '../ops/metered-store';
import { Metrics } from '../ops/metrics';
import { metricsRoute } from '../ops/metrics-route';
import { createPeers, slackAnswered } from '../ops/peer-checks';
import { Readiness } from '../ops/readiness';
import { AccessPolicy } from '../relay/access-policy';
import { Attribution, replyAttribution } from '../relay/attribution';
import { Deliverer } from '../relay/deliverer';
import { MessageClaims } from '../relay/message-claims';
import { PersonSessions } from '../relay/person-sessions';
import { defaultPollPolicy } from '../relay/poll-schedule';
import { Poller } from '../relay/poller';
import type { DevinApi } from '../relay/ports/devin';
import type { ReplyQueue } from '../relay/ports/reply-queue';
import type { Store } from '../relay/ports/store';
import { PostProgress } from '../relay/post-progress';
import { RelayedTexts } from '../relay/relayed-texts';
import { Replies } from '../relay/replies';
import { ReplyAttachments } from '../relay/reply-attachments';
import { ReplyChanges } from '../relay/reply-changes';
import { SessionConversation } from '../relay/session-conversation';
import { SessionEnds } from '../relay/session-ends';
import { sessionOwner } from '../relay/session-owner';
import { SessionStarts } from '../relay/session-starts';
import { SessionWatches } from '../relay/session-watches';
import { Sessions } from '../relay/sessions';
import { StartLimits } from '../relay/start-limits';
import { startSweep } from '../relay/sweep';
import { ThreadBindings } from '../relay/thread-bindings';
import { SessionAccess } from '../slack/access/session-access';
import { listSessions } from '../slack/access/session-list';
import { SlackAccess } from '../slack/access/slack-access';
import { SlackWorkspace } from '../slack/directory/slack-identity';
import { SlackNames } from '../slack/directory/slack-names';
import { createFileRelay } from '../slack/files/create-file-relay';
import { boltLogger } from '../slack/intake/bolt-logger';
import { SlackIntake } from '../slack/intake/slack-intake';
import { BackgroundWork } from '../slack/listeners/background-work';
import { registerListeners } from '../slack/listeners/register-listeners';
import { auditChannelPoster } from '../slack/outbound/audit-channel';
import { slackClientOptions } from '../slack/outbound/client-options';
import { FeedbackQueue } from '../slack/outbound/feedback-queue';
import { HomeTab } from '../slack/outbound/home-tab';
import { SlackFeedback } from '../slack/outbound/slack-feedback';
import { ShortcutDrafts } from '../slack/shortcut/shortcut-drafts';
import { SlackStarts } from '../slack/starts/slack-starts';
import { draftWords } from '../slack/text/relayed-text';
import { describeStore } from '../store/describe-store';
import { Leases } from '../store/leases';
import { importLegacyOutbox } from '../store/legacy-outbox';
import { StoreLock } from '../store/store-lock';

/** How long a reply on its way to Devin waits for Slack to name its author and mentions (then ids are shown). */
const NAME_WAIT_MS = 2000;
/** How long shutdown waits for Slack to be told what is still queued. */
const FEEDBACK_WAIT_MS = 3000;
/** How long shutdown lets requests to Devin in flight finish. */
const DELIVERY_WAIT_MS = 5000;
/** How often replies nobody is delivering are looked for: with leases of 10 s, a dead replica's work resumes in 15 s. */
const SWEEP_MS = 5000;
/** How often the app looks whether Devin's key is due for its check (at most once a minute). */
const DEVIN_CHECK_TICK_MS = 10_000;
/** How long start-up waits for Devin's first answer on the key (until then, readiness says it is being checked). */
const DEVIN_CHECK_WAIT_MS = 3000;

export interface AppDeps {
  config: Config;
  log: Logger;
  store: Store;
  /** Replies on their way to Devin, in the same store. */
  queue: ReplyQueue;
  devin: DevinApi;
  clock?: Clock;
  /** How often waiting replies are swept (left by a crash, or by a replica that died). */
  sweepMs?: number;
  /** The leases that let one replica deliver to, or poll, a session at a time (tests shorten them). */
  leases?: Leases;
  /** How often the poller looks for sessions that are due; 0 leaves polling to explicit `poller.tick()` calls. */
  pollTickMs?: number;
  /** How long `/devin say` waits for an outcome before saying the message is queued. */
  sayWaitMs?: number;
  /** What `/metrics` serves; the composition root shares it with the Devin client, which it creates. */
  metrics?: Metrics;
  /**
   * How often the app looks whether Devin's key is due for its readiness check (asked at most once a minute, by
   * `clock`); 0 leaves the checks after the first to explicit `readiness.checkDevin()` calls.
   */
  devinCheckTickMs?: number;
  /** After a session's status changes, each of its people's App Home is published again at most this often (60 s). */
  homeRefreshMs?: number;
  /** What requests to Slack go through; by default the configured proxy (`HTTPS_PROXY`), or none. */
  dispatcher?: Dispatcher;
}

export interface RunningApp {
  app: App;
  /** The port `/slack/events` (HTTP mode) and `/healthz` listen on. */
  port: number;
  deliverer: Deliverer;
  poller: Poller;
  feedback: FeedbackQueue;
  /** Session starts on their way (resumed at start-up and by the sweep). */
  starts: SessionStarts;
  metrics: Metrics;
  /** What `/readyz` answers. */
  readiness: Readiness;
  stop(): Promise<void>;
}

/** Builds the Bolt app with its receiver, wires the domain, starts listening, and resumes waiting deliveries. */
export async function startApp(deps: AppDeps): Promise<RunningApp> {
  const { config, log, devin } = deps;
  const metrics = deps.metrics ?? new Metrics();
  // Every store and queue call is timed; the same objects serve the whole app.
  const store = meteredStore(deps.store, metrics);
  const queue = meteredQueue(deps.queue, metrics);
  const clock = deps.clock ?? systemClock;
  let serving = false;
  const leases =
    deps.leases ??
    new Leases(store, {
      onLost: (key, reason) => log.warn({ lease: key, reason }, 'lost a lease; another replica takes over that work'),
    });
  // Made here only when the composition root gave none; then closed with the app.
  const ownDispatcher = deps.dispatcher ? undefined : proxyDispatcher(config.proxy);
  const dispatcher = deps.dispatcher ?? ownDispatcher;
  // Devin's and Slack's trouble leaves the app in service, degraded: shown in /readyz, /metrics and the log.
  const peers = createPeers(log, (peer, up) => metrics.peerUp.set({ peer }, up ? 1 : 0));
  const clientOptions = slackClientOptions(config, metrics, dispatcher, (answered, detail) =>
    slackAnswered(peers.slack, answered, detail),
  );

  const logger = boltLogger(log);
  // Slack is asked once who the token belongs to; Bolt asks again for each event only if that failed. An answer that
  // did not come, or a refused token, leaves the app running but not ready, asked again every minute, so that a Slack
  // outage at start-up heals by itself.
  const workspace = new SlackWorkspace(
    new webApi.WebClient(config.slack.botToken, { ...clientOptions, logger }),
    config,
  );
  const askSlack = () => workspace.ask();
  const mode = config.slack.appToken ? 'socket' : 'http';
  const readiness = new Readiness({
    mode,
    store,
    devin,
    serving: () => serving,
    ...(mode === 'socket' ? { socketOpen: () => intake.socketConnected === true } : {}),
    askSlack,
    now: () => clock.now(),
    log,
    peers,
    secrets: config.secrets,
  });
  devin.onKeyVerdict((accepted, detail) => readiness.keySeen(accepted, detail));
  const devinChecked = readiness.checkDevin();
  const intake: SlackIntake = new SlackIntake({
    config,
    logger,
    log,
    clientOptions,
    routes: [...healthRoutes(readiness), metricsRoute(metrics, config.metricsToken)],
    dispatcher,
  });
  const identity = await askSlack();
  readiness.slackChecked(identity);
  const app = new App({
    token: config.slack.botToken,
    receiver: intake.receiver,
    logger,
    clientOptions,
    deferInitialization: true,
    tokenVerificationEnabled: false,
    ...(identity.ok && identity.botId && identity.botUserId
      ? { botId: identity.botId, botUserId: identity.botUserId }
      : {}),
  });

  const lock = new StoreLock(store);
  const bindings = new ThreadBindings(store, lock);
  const claims = new MessageClaims(store);
  const people = new PersonSessions(store);
  const feedbackQueue = new FeedbackQueue({
    clock,
    log,
    rates: { reactions: { perMinute: config.slack.reactionsPerMinute, burst: 5 } },
  });
  const feedback = new SlackFeedback({ client: app.client, queue: feedbackQueue, store, log, now: () => clock.now() });
  const names = new SlackNames(app.client, log);
  const boundedNames = names.within(NAME_WAIT_MS);
  const relayed = new RelayedTexts(store, () => clock.now());
  const progress = new PostProgress(store);
  const watches = new SessionWatches({ store, relayed, progress, log });
  await watches.upgradeSchedule(clock.now());
  await importLegacyOutbox(store, queue, log);
  const policy = new AccessPolicy(config.access, () => workspace.teamId);
  const { auditChannelId } = config;
  const audit = new AuditTrail({
    log,
    isAdmin: (userId) => policy.isAdmin(userId),
    ...(auditChannelId
      ? { post: auditChannelPoster({ client: app.client, queue: feedbackQueue, channel: auditChannelId }) }
      : {}),
  });
  const access = new SlackAccess({ policy, client: app.client, names, store, log, audit });
  const files = createFileRelay({ config, client: app.client, devin, feedback, clock, log, dispatcher });
  const replyFiles = new ReplyAttachments({
    files: files.toDevin,
    queue,
    feedback,
    clock,
    log,
    retryWindowMs: config.devin.retryWindowMs,
  });
  // Sessions and replies as the Slack person's Devin account (API v3), found by their email.
  const attribution = config.devin.actAsSlackUser
    ? new Attribution({
        emailOf: (userId) => names.emailOf(userId),
        devin,
        tell: (thread, notice) => feedback.tell(thread, notice),
        log,
        now: () => clock.now(),
      })
    : undefined;
  const sessionUrl = (sessionId: string) => sessionWebUrl(sessionId, config.devin.webUrl);
  let conversation: SessionConversation | undefined;
  const deliverer = new Deliverer({
    leases,
    queue,
    feedback,
    devin,
    words: (reply) => (reply.draft ? draftWords(reply.draft, boundedNames) : Promise.resolve(reply.text)),
    vet: (reply) => access.vetReply(reply),
    attach: (reply, text, mayUpload) => replyFiles.attach(reply, text, mayUpload),
    clock,
    log,
    retryWindowMs: config.devin.retryWindowMs,
    metrics,
    sessionUrl,
    ...(attribution ? { attribution: replyAttribution(attribution) } : {}),
    deliveredMark: (reply) => (reply.origin.kind === 'thread' ? claims.deliveredMark(reply.origin.message) : undefined),
    events: {
      sending: async (sessionId, text) => conversation?.sending(sessionId, text),
      delivered: async (sessionId, reply, outcome) => conversation?.delivered(sessionId, reply, outcome),
      held: async (sessionId) => conversation?.held(sessionId),
    },
  });
  const ends = new SessionEnds({ store, devin, bindings, watches, slack: feedback, clock, log });
  conversation = new SessionConversation({
    bindings,
    watches,
    ends,
    relayed,
    progress,
    queue,
    deliverer,
    slack: feedback,
    files: files.fromDevin,
    log,
    now: () => clock.now(),
    sessionUrl,
    soonMs: config.devin.pollIntervalMs,
    // Only called once polling runs, after the App Home below exists.
    onStatusChange: (sessionId) => home.sessionChanged(sessionId),
    replyWakes: devin.wakesOnMessage,
  });
  const poller = new Poller({
    devin,
    watches,
    conversation,
    leases,
    clock,
    log,
    policy: defaultPollPolicy(config.devin.pollIntervalMs),
    concurrency: 4,
    metrics,
  });
  const replies = new Replies({
    claims,
    queue,
    deliverer,
    feedback,
    clock,
    log,
    // Past the retry window a reply is settled; this only bites when another replica holds the session's delivery.
    sayWaitMs: deps.sayWaitMs ?? config.devin.retryWindowMs + 2 * config.devin.requestTimeoutMs + 5_000,
    metrics,
    people,
    caps: { perSession: config.limits.waitingPerSession, perPerson: config.limits.waitingPerPerson },
    audit,
  });
  const sessions = new Sessions({ devin, bindings, watches, clock, log, steerPolicy: config.access.steer, people });
  const starts = new SessionStarts({
    store,
    leases,
    devin,
    sessions,
    claims,
    slack: new SlackStarts({ client: app.client, access, names, log, dispatcher }),
    clock,
    log,
    retryWindowMs: config.devin.retryWindowMs,
    metrics,
    files: files.toDevin,
    feedback,
    ...(config.devin.maxAcuLimit ? { maxAcuLimit: config.devin.maxAcuLimit } : {}),
    promptListedAsMessage: devin.version === 'v3',
    ...(attribution ? { attribution } : {}),
    audit,
    limits: new StartLimits({
      store,
      perPerson: config.limits.startsPerPersonPerHour,
      perWorkspace: config.limits.startsPerWorkspacePerHour,
      log,
      audit,
    }),
  });
  metrics.describeBuild({ version: APP_VERSION, devinApiVersion: devin.version });
  metrics.readFrom({
    replies: () => queue.counts(),
    feedbackDepth: () => feedbackQueue.depth(),
    watched: () => watches.countByState(),
  });
  const background = new BackgroundWork(log);
  const sessionAccess = new SessionAccess(
    access,
    sessions,
    ...(attribution ? [sessionOwner({ devin, attribution, log })] : []),
  );
  const devinWebUrl = config.devin.webUrl;
  const listDeps = { people, access, sessionAccess, sessions, replies, devinWebUrl, workspaceUrl: () => workspace.url };
  const home = new HomeTab({
    client: app.client,
    queue: feedbackQueue,
    people,
    list: (person) => listSessions(listDeps, person),
    log,
    ...(deps.homeRefreshMs !== undefined ? { refreshMs: deps.homeRefreshMs } : {}),
  });
  const listenerDeps = {
    ...listDeps,
    audit,
    changes: new ReplyChanges({ deliverer, queue, claims, feedback, log }),
    background,
    feedback,
    ends,
    starts,
    claims,
    names,
    log,
    home,
    drafts: new ShortcutDrafts(store, () => clock.now()),
    dispatcher,
  };
  registerListeners(app, listenerDeps);

  await app.init();
  const port = await intake.start();
  await bounded(DEVIN_CHECK_WAIT_MS, devinChecked, () => undefined);
  serving = true;
  readiness.start(deps.devinCheckTickMs ?? DEVIN_CHECK_TICK_MS);
  const { notReady, degraded } = await readiness.failing();
  log.info(
    {
      mode,
      port,
      store: describeStore(config.storeUrl),
      devin_api: config.devin.apiUrl,
      devin_api_version: devin.version,
      ...(notReady.length > 0 ? { not_ready: notReady } : {}),
      ...(degraded.length > 0 ? { degraded } : {}),
    },
    'devin-slack is ready',
  );

  await deliverer.resumeAll();
  await starts.resumeAll();
  const stopSweep = startSweep({ deliverer, starts, log }, deps.sweepMs ?? SWEEP_MS);
  if ((deps.pollTickMs ?? 1000) > 0) poller.start(deps.pollTickMs ?? 1000);

  let stopped: Promise<void> | undefined;
  return {
    app,
    port,
    deliverer,
    poller,
    feedback: feedbackQueue,
    starts,
    metrics,
    readiness,
    stop() {
      stopped ??= (async () => {
        serving = false;
        stopSweep();
        readiness.stop();
        home.stop();
        await intake.refuse();
        // Work in flight (a poll, a session being started, a request to Devin) gets a bounded time to end.
        await bounded(
          DELIVERY_WAIT_MS,
          Promise.all([poller.stop(), background.idle(), starts.stop(), deliverer.stop()]).then(() => undefined),
          () => undefined,
        );
        // The next start, or another replica, takes over at once instead of waiting for them to lapse.
        await leases.releaseAll();
        await Promise.race([feedbackQueue.idle(), clock.sleep(FEEDBACK_WAIT_MS)]);
        feedbackQueue.stop();
        await intake.close();
        await ownDispatcher?.close().catch(() => undefined);
      })();
      return stopped;
    },
  };
}
