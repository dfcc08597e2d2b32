import type { Dispatcher } from 'undici';
import type { Config } from '../../config/config-types';
import { fetchThrough } from '../../net/proxy-dispatcher';
import { meteredFetch, type SlackAnswerListener } from '../../ops/metered-fetch';
import type { Metrics } from '../../ops/metrics';

/**
 * How the app's Slack clients call the Web API: Slack's URL (a fake one in tests), a few quick retries for transient
 * failures, a deadline, the proxy when one is configured, 429s handed back rather than slept on inside the client (the
 * feedback queue's lanes wait as long as Slack says without blocking one another), every call counted by method and
 * outcome, and whether Slack answered it told to `answered`.
 */
export function slackClientOptions(
  config: Config,
  metrics: Metrics,
  dispatcher?: Dispatcher,
  answered?: SlackAnswerListener,
) {
  return {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 5000 },
    timeout: 10_000,
    rejectRateLimitedCalls: true,
    fetch: meteredFetch(metrics, fetchThrough(dispatcher), answered),
  };
}
