import { type Dispatcher, request } from 'undici';

const TIMEOUT_MS = 10_000;

/**
 * Answers only the person who ran a command, through the command's `response_url` (valid for 30 minutes): what
 * Bolt's `respond` does, for work that outlives the listener (a start resumed after a restart has no `respond`).
 * `dispatcher`: the proxy to go through, if any.
 */
export async function respondTo(
  responseUrl: string,
  text: string,
  blocks?: unknown[],
  dispatcher?: Dispatcher,
): Promise<void> {
  const answer = await request(responseUrl, {
    ...(dispatcher ? { dispatcher } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text, ...(blocks ? { blocks } : {}) }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await answer.body.dump();
  if (answer.statusCode >= 300) throw new Error(`Slack answered the response_url with HTTP ${answer.statusCode}`);
}
