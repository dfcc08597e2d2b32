import type { Config } from '../../config/config-types';
import { failureSentence } from '../../lib/check-result';
import { checkSlackAuth, checkSocketMode } from './slack-checks';

/** How long start-up waits for each of Slack's calls again to say which one failed. */
const RECHECK_DEADLINE_MS = 5_000;
const DOCTOR_HINT = 'or run npm run doctor';

/**
 * Why the app did not start, in the doctor's words. Slack's client says only `A request error occurred: fetch
 * failed`, so for a failure from Slack the calls start-up makes (auth.test with the bot token, then
 * apps.connections.open in Socket Mode) are made once more, and the first that fails says which call to which URL
 * failed and what to check.
 */
export async function explainStartFailure(error: unknown, config: Config): Promise<string> {
  const message = error instanceof Error ? error.message : String(error);
  if (!fromSlack(error)) return message;
  try {
    const { auth } = await checkSlackAuth(config, RECHECK_DEADLINE_MS);
    if (auth.status === 'failed') return `${failureSentence(auth)}, ${DOCTOR_HINT}`;
    const socket = await checkSocketMode(config, RECHECK_DEADLINE_MS);
    if (socket.status === 'failed') return `${failureSentence(socket)}, ${DOCTOR_HINT}`;
  } catch {
    // The explanation is a courtesy: the original failure is still reported.
  }
  return `a call to Slack's Web API failed (${message}); check SLACK_API_URL, the tokens and the network, ${DOCTOR_HINT}`;
}

/**
 * Why Slack's `auth.test` failed, in the doctor's words (which call to which URL, and what to check): asked once more
 * to find out, since Slack's client says only `A request error occurred`. `fallback` when the second try passes.
 */
export async function slackFailureWords(config: Config, fallback: string): Promise<string> {
  try {
    const { auth } = await checkSlackAuth(config, RECHECK_DEADLINE_MS);
    if (auth.status === 'failed') return failureSentence(auth);
  } catch {
    // The words are a courtesy: the first answer still says what happened.
  }
  return `Slack auth.test failed: ${fallback}`;
}

/** Errors of Slack's clients carry a code such as `slack_webapi_request_error`. */
function fromSlack(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('slack_');
}
