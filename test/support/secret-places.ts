import { BOT_TOKEN, type Harness } from './harness';
import type { Recorder } from './recorder';

/**
 * Where a secret went that it must not go: Devin's key anywhere but the fake Devin's API (a Slack call, a download, a
 * response_url post, a presigned link, any recorder), and the bot token anywhere but the fake Slack (a request to the
 * fake Devin, any recorder). Empty when each went only to its own origin.
 */
export function secretsAstray(h: Harness, recorders: Recorder[] = []): string[] {
  const key = h.devin.apiKey;
  const astray: string[] = [];
  for (const call of h.slack.calls) {
    if (call.token?.includes(key) || JSON.stringify(call.args).includes(key)) astray.push(`Slack ${call.method}`);
  }
  for (const download of h.slack.downloads) if (download.token?.includes(key)) astray.push('Slack download');
  for (const response of h.slack.responses)
    if (JSON.stringify(response.body).includes(key)) astray.push('response_url');
  for (const read of h.devin.storageReads) if (read.keyed) astray.push(`presigned link of ${read.name}`);
  for (const request of h.devin.requests) {
    if (String(request.headers.authorization ?? '').includes(BOT_TOKEN)) astray.push(`Devin ${request.path}`);
  }
  for (const recorder of recorders) {
    const values = recorder.headerValues().join('\n');
    if (values.includes(key)) astray.push(`Devin's key at ${recorder.host}`);
    if (values.includes(BOT_TOKEN)) astray.push(`the bot token at ${recorder.host}`);
  }
  return astray;
}
