import type { App } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/config-types';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../ops/metrics';
import type { Readiness } from '../ops/readiness';
import type { ChangeFeed } from '../relay/change-feed';
import type { Deliverer } from '../relay/deliverer';
import type { Digests } from '../relay/digests';
import type { Poller } from '../relay/poller';
import type { DevinApi } from '../relay/ports/devin';
import type { Leases } from '../relay/ports/leases';
import type { ReplyQueue } from '../relay/ports/reply-queue';
import type { Store } from '../relay/ports/store';
import type { SessionStarts } from '../relay/session-starts';
import type { FeedbackQueue } from '../slack/outbound/feedback-queue';

/** What the app is made of: the configuration, the log, and its peers (the composition root creates them). */
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
  leases?: Leases & { releaseAll(): Promise<void> };
  /**
   * How often the poller looks for sessions that are due; 0 leaves polling (and the change feed, which otherwise runs
   * every `DEVIN_POLL_INTERVAL_MS`) to explicit `poller.tick()` and `feed.tick()` calls.
   */
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
  /** How often daily digests and reminders are looked for (a minute); 0 leaves them to explicit `digests.tick()`. */
  digestTickMs?: number;
}

export interface RunningApp {
  app: App;
  /** The port `/slack/events` (HTTP mode) and `/healthz` listen on. */
  port: number;
  deliverer: Deliverer;
  poller: Poller;
  /** The change feed (v3, unless turned off): what makes the sessions that changed due. */
  feed?: ChangeFeed;
  feedback: FeedbackQueue;
  /** Session starts on their way (resumed at start-up and by the sweep). */
  starts: SessionStarts;
  metrics: Metrics;
  /** What `/readyz` answers. */
  readiness: Readiness;
  /** Listeners' work that runs after Slack was answered (a button's outcome, a command's request to Devin). */
  background: { idle(): Promise<void> };
  /** The daily digests and reminders, sent when `tick` finds them due. */
  digests: Pick<Digests, 'tick'>;
  stop(): Promise<void>;
}
