import { loadConfig } from '../../src/config';
import { checkDevin } from '../../src/doctor/devin-check';
import { checkSlackAuth, scopesResult } from '../../src/doctor/slack-checks';
import { explainStartFailure } from '../../src/doctor/start-failure';
import { checkStore } from '../../src/doctor/store-check';
import { describeStore } from '../../src/store/describe-store';
import { FakeDevin } from '../support/fake-devin';
import { FakeSlack } from '../support/fake-slack';
import { freePort } from '../support/free-port';
import { BOT_TOKEN, DEVIN_KEY, SIGNING_SECRET } from '../support/harness';

let slack: FakeSlack;
let devin: FakeDevin;
beforeAll(async () => {
  [slack, devin] = await Promise.all([FakeSlack.start(), FakeDevin.start({ apiKey: DEVIN_KEY })]);
});
afterAll(() => Promise.all([slack.close(), devin.close()]));

const config = () =>
  loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DEVIN_API_KEY: DEVIN_KEY,
    DEVIN_API_URL: devin.url,
    STORE_URL: 'memory://',
  });

it('fails a Devin API that does not answer at the deadline, saying so', async () => {
  devin.hangNext('GET', '/v1/sessions');
  const started = Date.now();
  const result = await checkDevin(config(), 300);
  expect(Date.now() - started).toBeLessThan(2000);
  expect(result).toMatchObject({
    status: 'failed',
    detail: `could not reach ${devin.url} (no answer within 0.3 s)`,
    fix: 'check DEVIN_API_URL and the network (DNS, proxy, firewall)',
  });
});

it('fails a Slack that does not answer at the deadline, and skips the scopes it would have named', async () => {
  // Answers after 2 s, on a timer that does not keep the test process alive.
  slack.setHandler('auth.test', () => new Promise((resolve) => setTimeout(() => resolve(undefined), 2000).unref()));
  try {
    const { auth, scopes } = await checkSlackAuth(config(), 300);
    expect(auth).toMatchObject({
      status: 'failed',
      detail: `could not reach ${slack.apiUrl}auth.test (no answer within 0.3 s)`,
    });
    expect(scopes.status).toBe('skipped');
  } finally {
    slack.clearHandler('auth.test');
  }
});

it('fails the scopes check when Slack does not name them', () => {
  expect(scopesResult(undefined, ['chat:write'])).toMatchObject({
    status: 'failed',
    detail: expect.stringContaining('x-oauth-scopes'),
  });
  expect(scopesResult(['chat:write', 'extra:scope'], ['chat:write']).status).toBe('passed');
});

it('prints a Redis store as redis://host:port, never with its password', async () => {
  expect(describeStore('redis://user:hunter22secret@redis.internal:6380/2')).toBe('redis://redis.internal:6380/2');
  expect(describeStore('rediss://:hunter22secret@redis.internal')).toBe('rediss://redis.internal');
  const port = await freePort();
  const result = await checkStore(`redis://:hunter22secret@127.0.0.1:${port}`, 5000);
  expect(result.status).toBe('failed');
  expect(result.detail).toBe(`could not reach redis://127.0.0.1:${port} (connection refused)`);
  expect(JSON.stringify(result)).not.toContain('hunter22secret');
});

it('passes a memory store round trip, saying nothing is kept', async () => {
  expect(await checkStore('memory://', 1000)).toMatchObject({
    status: 'passed',
    detail: expect.stringContaining('nothing is kept when the process stops'),
  });
});

it('leaves start-up failures that are not from Slack as they were', async () => {
  await expect(explainStartFailure(new Error('listen EADDRINUSE: address already in use'), config())).resolves.toBe(
    'listen EADDRINUSE: address already in use',
  );
});
