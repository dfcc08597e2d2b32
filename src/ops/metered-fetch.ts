import type { Metrics } from './metrics';

/** A Slack method name as it appears at the end of a Web API URL (`chat.postMessage`); anything else is `other`. */
const METHOD = /\/([a-z]+(?:\.[a-zA-Z]+)+)\/?$/;

/** Told of each call whether Slack answered it (any answer but a 5xx), with what happened when it did not. */
export type SlackAnswerListener = (answered: boolean, detail: string) => void;

/**
 * `fetch` for Slack's Web API client that counts each call by method and outcome: `ok`, `error` (Slack answered
 * `ok: false`), `rate_limited` (429), `http_error` (another status), `network_error` (no answer). The client's own
 * retries are separate calls, so each one shows.
 */
export function meteredFetch(
  metrics: Metrics,
  inner: typeof fetch = globalThis.fetch,
  answered?: SlackAnswerListener,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = METHOD.exec(new URL(url).pathname)?.[1] ?? 'other';
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      metrics.slackCalls.inc({ method, outcome: 'network_error' });
      answered?.(false, `${method}: ${failureWords(error)}`);
      throw error;
    }
    metrics.slackCalls.inc({ method, outcome: await outcomeOf(response) });
    answered?.(response.status < 500, `${method} answered HTTP ${response.status}`);
    return response;
  };
}

async function outcomeOf(response: Response): Promise<string> {
  if (response.status === 429) return 'rate_limited';
  if (!response.ok) return 'http_error';
  if (!response.headers.get('content-type')?.includes('json')) return 'ok';
  try {
    const body = (await response.clone().json()) as { ok?: unknown };
    return body.ok === false ? 'error' : 'ok';
  } catch {
    return 'error';
  }
}

/** Why no answer came, in the words of the network (`ECONNREFUSED`) rather than fetch's own (`fetch failed`). */
function failureWords(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
