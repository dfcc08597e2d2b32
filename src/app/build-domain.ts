import type { webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/config-types';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { Attribution, replyAttribution } from '../relay/attribution';
import { BudgetLimits } from '../relay/budget-limits';
import { ChannelBudgets } from '../relay/channel-budgets';
import { ChannelSettings } from '../relay/channel-settings';
import { Deliverer } from '../relay/deliverer';
import { DeliveryFollowUp } from '../relay/delivery-follow-up';
import { HeldReplies } from '../relay/held-replies';
import { MessageClaims } from '../relay/message-claims';
import { PersonSessions } from '../relay/person-sessions';
import type { DevinApi } from '../relay/ports/devin';
import type { Leases, Lock } from '../relay/ports/leases';
import type { RelayMetrics } from '../relay/ports/relay-metrics';
import type { ReplyQueue } from '../relay/ports/reply-queue';
import type { Store } from '../relay/ports/store';
import { PostProgress } from '../relay/post-progress';
import { RelayedTexts } from '../relay/relayed-texts';
import { Replies } from '../relay/replies';
import { ReplyAttachments } from '../relay/reply-attachments';
import { ReplyChanges } from '../relay/reply-changes';
import { SessionArchives } from '../relay/session-archives';
import { SessionEnds } from '../relay/session-ends';
import { SessionStarts } from '../relay/session-starts';
import { SessionWatches } from '../relay/session-watches';
import { Sessions } from '../relay/sessions';
import { SpendLedger } from '../relay/spend-ledger';
import { StartLimits } from '../relay/start-limits';
import { StartOptionChoice } from '../relay/start-option-choice';
import { StartOptionLookup } from '../relay/start-option-lookup';
import { ThreadBindings } from '../relay/thread-bindings';
import { WaitingSince } from '../relay/waiting-since';
import { SlackStarts } from '../slack/starts/slack-starts';
import { draftWords } from '../slack/text/relayed-text';
import type { SlackPorts } from './slack-ports';

/** How long a reply on its way to Devin waits for Slack to name its author and mentions (then ids are shown). */
const NAME_WAIT_MS = 2000;

export interface DomainDeps {
  config: Config;
  log: Logger;
  store: Store;
  queue: ReplyQueue;
  devin: DevinApi;
  clock: Clock;
  leases: Leases;
  lock: Lock;
  metrics: RelayMetrics;
  slack: SlackPorts;
  /** Slack's Web API, for the root messages and answers of session starts. */
  slackClient: webApi.WebClient;
  /** The proxy that answers to response URLs go through, if any. */
  dispatcher: Dispatcher | undefined;
  /** How long `/devin say` waits for an outcome before saying the message is queued. */
  sayWaitMs?: number;
}

/**
 * The domain, built in dependency order over its ports: the records (bindings, claims, people, watches), delivery
 * (whose events the follow-up turns into polling's work), then replies, sessions, ends and starts. Polling is built
 * apart (`buildPolling`), once what it tells of status changes exists.
 */
export function buildDomain(deps: DomainDeps) {
  const { config, log, store, queue, devin, clock, leases, metrics } = deps;
  const { feedback, names, access, audit, files } = deps.slack;
  const sessionUrl = (sessionId: string) => devin.sessionUrl(sessionId);
  const bindings = new ThreadBindings(store, deps.lock);
  const ledger = new SpendLedger(store);
  const budgets = new ChannelBudgets(store, ledger);
  const waiting = new WaitingSince(store, clock);
  const claims = new MessageClaims(store);
  const people = new PersonSessions(store);
  const relayed = new RelayedTexts(store, () => clock.now());
  const progress = new PostProgress(store);
  const watches = new SessionWatches({ store, relayed, progress, log });
  const boundedNames = names.within(NAME_WAIT_MS);
  // Sessions and replies as the Slack person's Devin account, found by their email.
  const attribution = config.devin.actAsSlackUser
    ? new Attribution({
        emailOf: (userId) => names.emailOf(userId),
        devin,
        tell: (thread, notice) => feedback.tell(thread, notice),
        log,
        now: () => clock.now(),
      })
    : undefined;
  const retryWindowMs = config.devin.retryWindowMs;
  const replyFiles = new ReplyAttachments({ files: files.toDevin, queue, feedback, clock, log, retryWindowMs });
  const followUp = new DeliveryFollowUp({
    watches,
    relayed,
    slack: feedback,
    now: () => clock.now(),
    sessionUrl,
    soonMs: config.devin.pollIntervalMs,
  });
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
    retryWindowMs,
    metrics,
    sessionUrl,
    ...(attribution ? { attribution: replyAttribution(attribution) } : {}),
    deliveredMark: (reply) => (reply.origin.kind === 'thread' ? claims.deliveredMark(reply.origin.message) : undefined),
    events: followUp,
  });
  const held = new HeldReplies({ watches, queue, deliverer, log });
  const ends = new SessionEnds({ store, devin, bindings, watches, slack: feedback, clock, log });
  const archives = new SessionArchives({ store, devin, bindings, watches, slack: feedback, clock, log });
  const replies = new Replies({
    claims,
    queue,
    deliverer,
    feedback,
    clock,
    log,
    // Past the retry window a reply is settled; this only bites when another replica holds the session's delivery.
    sayWaitMs: deps.sayWaitMs ?? retryWindowMs + 2 * config.devin.requestTimeoutMs + 5_000,
    metrics,
    people,
    caps: { perSession: config.limits.waitingPerSession, perPerson: config.limits.waitingPerPerson },
    audit,
  });
  const changes = new ReplyChanges({ deliverer, queue, claims, feedback, log });
  const channelSettings = new ChannelSettings({ store, lock: deps.lock, clock });
  const optionLookup = new StartOptionLookup({
    devin,
    clock,
    ...(config.devin.maxAcuLimit ? { maxAcuLimit: config.devin.maxAcuLimit } : {}),
  });
  const sessions = new Sessions({ devin, bindings, watches, clock, log, steerPolicy: config.access.steer, people });
  const starts = new SessionStarts({
    store,
    leases,
    devin,
    sessions,
    claims,
    slack: new SlackStarts({ client: deps.slackClient, access, names, log, dispatcher: deps.dispatcher }),
    clock,
    log,
    retryWindowMs,
    metrics,
    files: files.toDevin,
    feedback,
    ...(config.devin.maxAcuLimit ? { maxAcuLimit: config.devin.maxAcuLimit } : {}),
    promptListedAsMessage: devin.capabilities.listsPromptAsMessage,
    ...(attribution ? { attribution } : {}),
    options: new StartOptionChoice({ lookup: optionLookup, settings: channelSettings }),
    ledger,
    audit,
    limits: new BudgetLimits({
      budgets,
      hourly: new StartLimits({
        store,
        perPerson: config.limits.startsPerPersonPerHour,
        perWorkspace: config.limits.startsPerWorkspacePerHour,
        log,
        audit,
      }),
      log,
      audit,
    }),
  });
  return {
    bindings,
    claims,
    people,
    relayed,
    progress,
    watches,
    attribution,
    followUp,
    deliverer,
    held,
    ends,
    archives,
    replies,
    changes,
    sessions,
    starts,
    channelSettings,
    optionLookup,
    ledger,
    budgets,
    waiting,
  };
}

export type Domain = ReturnType<typeof buildDomain>;
