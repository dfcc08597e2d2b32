import type { Logger } from '../../lib/logger';
import { slackErrorCode } from './slack-failure';

/** Slack's answers that a message or view broke one of its limits, each with the limit, for the log. */
const SIZE_REFUSALS: Record<string, string> = {
  msg_too_long: "a message's text: 4,000 characters in chat.update, 40,000 in chat.postMessage",
  msg_blocks_too_long: "the text of a message's blocks: about 13,000 characters",
  invalid_blocks: 'Block Kit: 50 blocks a message, 3,000 characters a text, 150 a header',
  view_too_large: 'a view: 250 kB',
};

/** The limit Slack's answer says a call broke; undefined for any other failure. */
export function sizeLimitOf(error: unknown): string | undefined {
  const code = slackErrorCode(error);
  return code !== undefined && Object.hasOwn(SIZE_REFUSALS, code) ? SIZE_REFUSALS[code] : undefined;
}

/**
 * Sends the full form of a message or view; should Slack refuse it for a limit (whatever the fitting missed), sends
 * its minimal form instead (one line, with the link), and logs the refusal once, with the limit. Any other failure
 * is thrown as it was.
 */
export async function sendOrMinimal<T>(
  full: () => Promise<T>,
  minimal: () => Promise<T>,
  log: Logger,
  context: Record<string, unknown>,
): Promise<T> {
  try {
    return await full();
  } catch (error) {
    const limit = sizeLimitOf(error);
    if (!limit) throw error;
    log.warn(
      { ...context, code: slackErrorCode(error), limit },
      'Slack refused a message for its size; sent its minimal form, with the link, instead',
    );
    return minimal();
  }
}
