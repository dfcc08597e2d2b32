import type { App } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/config-types';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { AuditTrail } from '../ops/audit-trail';
import { AccessPolicy } from '../relay/access-policy';
import type { DevinApi } from '../relay/ports/devin';
import type { Store } from '../relay/ports/store';
import { SlackAccess } from '../slack/access/slack-access';
import type { SlackWorkspace } from '../slack/directory/slack-identity';
import { SlackNames } from '../slack/directory/slack-names';
import { createFileRelay } from '../slack/files/create-file-relay';
import { auditChannelPoster } from '../slack/outbound/audit-channel';
import { FeedbackQueue } from '../slack/outbound/feedback-queue';
import { SlackFeedback } from '../slack/outbound/slack-feedback';

export interface SlackPortsDeps {
  config: Config;
  log: Logger;
  store: Store;
  devin: DevinApi;
  clock: Clock;
  app: App;
  workspace: SlackWorkspace;
  dispatcher: Dispatcher | undefined;
}

/**
 * The Slack side of the domain's ports, built before the domain: what the people in Slack are told (the feedback
 * queue, paced per Slack method), who they are (names and accounts), who may act (the access policy with Slack's
 * lookups, and the audit trail), and files both ways.
 */
export function buildSlackPorts(deps: SlackPortsDeps) {
  const { config, log, store, clock, app, devin, dispatcher } = deps;
  const feedbackQueue = new FeedbackQueue({
    clock,
    log,
    rates: { reactions: { perMinute: config.slack.reactionsPerMinute, burst: 5 } },
  });
  const feedback = new SlackFeedback({ client: app.client, queue: feedbackQueue, store, log, now: () => clock.now() });
  const names = new SlackNames(app.client, log);
  const policy = new AccessPolicy(config.access, () => deps.workspace.teamId);
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
  return { feedbackQueue, feedback, names, audit, access, files };
}

export type SlackPorts = ReturnType<typeof buildSlackPorts>;
