import { endpointOf } from '../../src/devin/http/devin-http';
import { meteredFetch } from '../../src/ops/metered-fetch';
import { Metrics } from '../../src/ops/metrics';
import { Scrape } from '../support/scrape';

const API = 'https://slack.com/api/';
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

async function outcomes(answers: Array<() => Response>): Promise<Scrape> {
  const metrics = new Metrics();
  let next = 0;
  const fetch = meteredFetch(metrics, async () => {
    const answer = answers[next++];
    if (!answer) throw new TypeError('fetch failed');
    return answer();
  });
  for (let i = 0; i <= answers.length; i += 1) {
    const response = await fetch(`${API}chat.postMessage`, { method: 'POST' }).catch(() => undefined);
    // The client still reads the body the counter looked at.
    if (response) expect(await response.text()).toBeTruthy();
  }
  return Scrape.parse(await metrics.text());
}

describe('Slack calls by method and outcome', () => {
  it('tells ok, an error answer, a 429, another status and no answer apart', async () => {
    const scrape = await outcomes([
      () => json({ ok: true }),
      () => json({ ok: false, error: 'channel_not_found' }),
      () => json({ ok: false, error: 'ratelimited' }, 429),
      () => new Response('bad gateway', { status: 502 }),
    ]);
    const calls = (outcome: string) =>
      scrape.value('devin_slack_slack_api_calls_total', { method: 'chat.postMessage', outcome });
    expect([calls('ok'), calls('error'), calls('rate_limited'), calls('http_error'), calls('network_error')]).toEqual([
      1, 1, 1, 1, 1,
    ]);
  });

  it('labels a URL that names no Web API method as other', async () => {
    const metrics = new Metrics();
    await meteredFetch(metrics, async () => json({ ok: true }))('https://files.slack.com/upload/v1/ABC123', {});
    const scrape = Scrape.parse(await metrics.text());
    expect(scrape.series('devin_slack_slack_api_calls_total')).toEqual([{ method: 'other', outcome: 'ok' }]);
  });
});

describe("Devin's endpoints as metric labels", () => {
  it.each([
    ['POST', '/v1/sessions/devin-0a1b2c/message', 'POST /v1/sessions/:id/message'],
    ['GET', '/v1/sessions/devin-0a1b2c', 'GET /v1/sessions/:id'],
    ['GET', '/v1/session/devin-0a1b2c', 'GET /v1/session/:id'],
    ['POST', '/v1/sessions', 'POST /v1/sessions'],
    ['GET', '/v1/sessions?limit=1', 'GET /v1/sessions'],
    ['GET', '/attachments/7f3e/screenshot.png', 'GET /attachments/:id'],
  ])('%s %s is %s', (method, path, endpoint) => {
    expect(endpointOf(method, path)).toBe(endpoint);
  });
});
