import { type Dispatcher, request } from 'undici';
import { networkReason } from '../../lib/network-reason';

export const SLACK_API_URL = 'https://slack.com/api/';

/** What one Web API call came back with: Slack's answer, or why nothing came back. */
export type SlackReply =
  | {
      reached: true;
      status: number;
      /** The JSON answer; undefined when the body was no JSON object. */
      body: Record<string, unknown> | undefined;
      /** The token's granted scopes (`x-oauth-scopes`); undefined when the header is absent. */
      scopes: string[] | undefined;
    }
  | { reached: false; reason: string };

/** The URL of a Web API method under `apiUrl` (`SLACK_API_URL`), joined as Slack's WebClient joins it. */
export function slackMethodUrl(apiUrl: string | undefined, method: string): string {
  const base = apiUrl ?? SLACK_API_URL;
  return `${base.endsWith('/') ? base : `${base}/`}${method}`;
}

/**
 * One Web API call with the token in the Authorization header (the only way `apps.connections.open` accepts it), no
 * retries, answered within `deadlineMs` or reported unreachable.
 */
export async function callSlack(
  apiUrl: string | undefined,
  method: string,
  token: string,
  deadlineMs: number,
  dispatcher?: Dispatcher,
): Promise<SlackReply> {
  let response: Dispatcher.ResponseData;
  let text: string;
  try {
    response = await request(slackMethodUrl(apiUrl, method), {
      ...(dispatcher ? { dispatcher } : {}),
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      signal: AbortSignal.timeout(deadlineMs),
    });
    text = await response.body.text();
  } catch (error) {
    return { reached: false, reason: networkReason(error, deadlineMs) };
  }
  const header = response.headers['x-oauth-scopes'];
  const raw = Array.isArray(header) ? header.join(',') : header;
  return {
    reached: true,
    status: response.statusCode,
    body: parseObject(text),
    scopes:
      raw === undefined
        ? undefined
        : raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
