import type { App } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { Digests } from '../relay/digests';
import type { DevinApi } from '../relay/ports/devin';
import type { Store } from '../relay/ports/store';
import { sessionOwner } from '../relay/session-owner';
import { channelSpend, type NeedsYouDeps, needsYou } from '../slack/access/needs-you';
import { SessionAccess } from '../slack/access/session-access';
import { listSessions } from '../slack/access/session-list';
import type { SlackWorkspace } from '../slack/directory/slack-identity';
import { BackgroundWork } from '../slack/listeners/background-work';
import type { ListenerDeps } from '../slack/listeners/listener-deps';
import { channelDefaultsOf } from '../slack/outbound/home-channel-defaults';
import { HomeTab } from '../slack/outbound/home-tab';
import { SlackDigest } from '../slack/outbound/slack-digest';
import { ShortcutDrafts } from '../slack/shortcut/shortcut-drafts';
import { needsYouBlocks } from '../slack/views/needs-you-blocks';
import type { Domain } from './build-domain';
import type { SlackPorts } from './slack-ports';

export interface ListenersDeps {
  app: App;
  log: Logger;
  store: Store;
  clock: Clock;
  devin: DevinApi;
  workspace: SlackWorkspace;
  domain: Domain;
  slack: SlackPorts;
  dispatcher: Dispatcher | undefined;
  /** After a session's status changes, each of its people's App Home is published again at most this often. */
  homeRefreshMs?: number;
  /** `ADMIN_USER_IDS`. */
  admins: ReadonlySet<string>;
}

/**
 * What the listeners work with, over the domain: what a person may do with a session they name, each person's App
 * Home (published when they open it, and when one of their sessions changes), and the drafts of Send to Devin forms.
 */
export function buildListenerDeps(deps: ListenersDeps): {
  listenerDeps: ListenerDeps;
  home: HomeTab;
  digests: Digests;
} {
  const { app, log, store, clock, devin, domain, slack } = deps;
  const { people, sessions, replies, attribution } = domain;
  const { access, feedbackQueue } = slack;
  const sessionAccess = new SessionAccess(
    access,
    sessions,
    ...(attribution ? [sessionOwner({ devin, attribution, log })] : []),
  );
  const listDeps = {
    people,
    access,
    sessionAccess,
    sessions,
    replies,
    refs: devin,
    workspaceUrl: () => deps.workspace.url,
  };
  const digests = new Digests({
    store,
    people,
    waiting: domain.waiting,
    slack: new SlackDigest(app.client, feedbackQueue, (person) => listSessions(listDeps, person)),
    log,
  });
  const needsDeps: NeedsYouDeps = {
    ledger: domain.ledger,
    budgetOf: async (team, channel) => (await domain.budgets.get(team, channel))?.acus,
    now: () => clock.now(),
    reportsSpend: devin.capabilities.reportsSpend === true,
  };
  const home = new HomeTab({
    client: app.client,
    queue: feedbackQueue,
    people,
    list: (person) => listSessions(listDeps, person),
    channelDefaults: (person) => channelDefaultsOf(domain.channelSettings, access, person),
    top: async (person, listing) =>
      needsYouBlocks(await needsYou(needsDeps, person, listing), await channelSpend(needsDeps, person, listing)),
    log,
    ...(deps.homeRefreshMs !== undefined ? { refreshMs: deps.homeRefreshMs } : {}),
  });
  const listenerDeps: ListenerDeps = {
    ...listDeps,
    audit: slack.audit,
    changes: domain.changes,
    background: new BackgroundWork(log),
    feedback: slack.feedback,
    ends: domain.ends,
    archives: domain.archives,
    starts: domain.starts,
    channelSettings: domain.channelSettings,
    optionLookup: domain.optionLookup,
    claims: domain.claims,
    names: slack.names,
    log,
    home,
    drafts: new ShortcutDrafts(store, () => clock.now()),
    spending: {
      ledger: domain.ledger,
      reportsSpend: devin.capabilities.reportsSpend === true,
      now: () => clock.now(),
      digests,
      budgets: domain.budgets,
      admins: deps.admins,
    },
    dispatcher: deps.dispatcher,
  };
  return { listenerDeps, home, digests };
}
