import type { Logger } from '../lib/logger';
import type { KeyCheck } from '../relay/ports/devin';
import { type Check, type PeerName, PeerStatus } from './peer-status';

/** What to do while the app starts or stops. */
export const STARTING_FIX =
  'Wait for the start-up to finish; while the app stops, its events go to another replica or its next start';

/** How to mend each peer's trouble, in the words of `/readyz` and the log. */
export const PEER_FIXES = {
  slack:
    'Check SLACK_BOT_TOKEN (the bot token xoxb-... of an app still installed in the workspace), SLACK_API_URL and ' +
    'the network; auth.test is asked again every minute',
  slackApi:
    "Slack's Web API is not answering (see status.slack.com, and the network); replies still reach Devin, and what " +
    'Slack is told is retried until it answers',
  refused:
    'Set DEVIN_API_KEY to a valid key from Devin\'s settings ("API keys") and restart; the key is checked again ' +
    'every minute',
  unreachable: 'Check DEVIN_API_URL and that the app can reach it; it is checked again every minute',
  error: "Devin's API is having trouble; it is checked again every minute",
} as const;

/**
 * Devin and Slack as peers, both pending until they first answer: each change is logged, and told to `changed` (the
 * `devin_slack_peer_up` gauge).
 */
export function createPeers(
  log: Logger,
  changed?: (peer: PeerName, up: boolean) => void,
): Record<PeerName, PeerStatus> {
  return {
    slack: new PeerStatus(
      'slack',
      {
        log,
        upAgain: "Slack's Web API answers and accepts the bot token again; no longer degraded",
        ...(changed ? { changed } : {}),
      },
      { ok: false, problem: "Slack's auth.test has not been asked yet", fix: STARTING_FIX },
    ),
    devin: new PeerStatus(
      'devin',
      { log, upAgain: "Devin's API accepts DEVIN_API_KEY again; no longer degraded", ...(changed ? { changed } : {}) },
      {
        ok: false,
        problem: "Devin's key is being checked: no answer from Devin's API yet",
        fix: 'Wait a moment; if it lasts, check DEVIN_API_URL and that the app can reach it',
      },
    ),
  };
}

/** What the app's own traffic met at Slack's Web API: an answer (any), or none (a network error, a 5xx). */
export function slackAnswered(slack: PeerStatus, answered: boolean, detail = ''): void {
  if (answered && !slack.failing('web-api')) return;
  slack.report(
    'web-api',
    answered
      ? { ok: true }
      : { ok: false, problem: `Slack's Web API did not answer: ${detail}`, fix: PEER_FIXES.slackApi },
  );
}

/** Devin's answer to the key check, as a check. */
export function devinCheck(answer: KeyCheck): Check {
  if (answer.ok) return { ok: true };
  switch (answer.reason) {
    case 'refused':
      return { ok: false, problem: `Devin's API refused DEVIN_API_KEY (${answer.detail})`, fix: PEER_FIXES.refused };
    case 'unreachable':
      return { ok: false, problem: `Devin's API could not be reached: ${answer.detail}`, fix: PEER_FIXES.unreachable };
    case 'error':
      return { ok: false, problem: `Devin's API answered the key check with ${answer.detail}`, fix: PEER_FIXES.error };
  }
}
