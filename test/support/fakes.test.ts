import type { AddressInfo } from 'node:net';
import { App, isValidSlackRequest, LogLevel, webApi } from '@slack/bolt';
import { FakeDevin } from './fake-devin';
import { FakeSlack, MANIFEST_BOT_SCOPES } from './fake-slack';
import {
  appMentionEvent,
  blockAction,
  fixtureEvent,
  messageEvent,
  nextTs,
  postAction,
  postCommand,
  postEvent,
  postRaw,
  signBody,
  slashCommand,
  threadReply,
} from './slack-signing';

const quietRetries = { retries: 0 };

async function devinFetch(
  devin: FakeDevin,
  method: string,
  path: string,
  body?: unknown,
  apiKey = 'apk_test_key',
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${devin.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

describe('FakeSlack', () => {
  let slack: FakeSlack;
  let client: InstanceType<typeof webApi.WebClient>;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: quietRetries });
  });
  afterEach(() => slack.close());

  it('records form-encoded calls from WebClient, parsing JSON-valued fields and the bearer token', async () => {
    expect(slack.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });

    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    const first = await client.chat.postMessage({ channel: 'C1', text: 'hi', thread_ts: '1700000000.000100', blocks });
    const second = await client.chat.postMessage({ channel: 'C1', text: 'again' });
    expect(first.ts).toBe('1700000100.000001');
    expect(second.ts).toBe('1700000100.000002');
    expect(first.message).toMatchObject({ text: 'hi', user: 'UBOT', bot_id: 'BBOT', thread_ts: '1700000000.000100' });

    const call = slack.calls.find((c) => c.method === 'chat.postMessage');
    expect(call?.token).toBe('xoxb-test');
    expect(call?.args).toMatchObject({ channel: 'C1', text: 'hi', blocks });
    expect(slack.callsTo('chat.postMessage').map((a) => a.text)).toEqual(['hi', 'again']);
  });

  it('answers lookups from seed data', async () => {
    await expect(client.users.info({ user: 'U1' })).resolves.toMatchObject({
      user: { id: 'U1', name: 'alice', profile: { display_name: 'Alice' } },
    });
    await expect(client.users.info({ user: 'U9' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    await expect(client.conversations.info({ channel: 'C1' })).resolves.toMatchObject({
      channel: { id: 'C1', name: 'general' },
    });
    slack.threads.set('C1:1.000001', [{ ts: '1.000001', text: 'parent' }]);
    await expect(client.conversations.replies({ channel: 'C1', ts: '1.000001' })).resolves.toMatchObject({
      messages: [{ text: 'parent' }],
    });
    await expect(client.conversations.replies({ channel: 'C1', ts: '2.000001' })).rejects.toMatchObject({
      data: { error: 'thread_not_found' },
    });
    await expect(client.chat.getPermalink({ channel: 'C1', message_ts: '1700000000.000100' })).resolves.toMatchObject({
      permalink: 'https://acme.slack.com/archives/C1/p1700000000000100',
    });
  });

  it('scripts failures and persistent handlers', async () => {
    slack.failNext('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } }, 2);
    await expect(client.chat.postMessage({ channel: 'C1', text: 'a' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'b' })).rejects.toThrow(/not_in_channel/);
    await expect(client.chat.postMessage({ channel: 'C1', text: 'c' })).resolves.toMatchObject({ ok: true });
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.failed === true)).toEqual([
      true,
      true,
      false,
    ]);

    slack.failNext('chat.update', { status: 500, body: 'oops' });
    await expect(client.chat.update({ channel: 'C1', ts: '1.1', text: 'x' })).rejects.toThrow(/500/);

    slack.setHandler('reactions.add', (args) =>
      args.name === 'eyes' ? { ok: false, error: 'already_reacted' } : undefined,
    );
    await expect(client.reactions.add({ channel: 'C1', timestamp: '1.1', name: 'eyes' })).rejects.toThrow(
      /already_reacted/,
    );
    await expect(client.reactions.add({ channel: 'C1', timestamp: '1.1', name: 'tada' })).resolves.toEqual(
      expect.objectContaining({ ok: true }),
    );
  });

  it('waitFor resolves on past and future calls and rejects with the calls seen', async () => {
    await client.chat.postMessage({ channel: 'C1', text: 'past' });
    await expect(slack.waitFor('chat.postMessage')).resolves.toMatchObject({ text: 'past' });

    const future = slack.waitFor('chat.postMessage', (a) => a.text === 'future');
    const counted = slack.waitForCount('chat.postMessage', 2);
    await client.chat.postMessage({ channel: 'C1', text: 'future' });
    await expect(future).resolves.toMatchObject({ text: 'future' });
    await expect(counted).resolves.toHaveLength(2);

    await expect(slack.waitFor('chat.update', undefined, 50)).rejects.toThrow(
      /waitFor\('chat\.update'\) timed out after 50 ms\. Calls seen \(2\):\s+chat\.postMessage .*past/,
    );
  });

  it('records response_url posts', async () => {
    const url = slack.responseUrl('cmd');
    const waiting = slack.waitForResponse((r) => r.name === 'cmd');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'done', response_type: 'ephemeral' }),
    });
    expect(res.status).toBe(200);
    await expect(res.text()).resolves.toBe('ok');
    await expect(waiting).resolves.toMatchObject({ name: 'cmd', body: { text: 'done' } });
    slack.reset();
    expect(slack.responses).toHaveLength(0);
    expect(slack.users.has('U1')).toBe(true);
  });

  it('throttles one method with 429 and Retry-After until unthrottled, leaving the others alone', async () => {
    const strict = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: quietRetries,
    });
    slack.throttle('reactions.add', 7);
    const add = () => strict.reactions.add({ channel: 'C1', timestamp: '1.1', name: 'eyes' });
    await expect(add()).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    await expect(add()).rejects.toMatchObject({ retryAfter: 7 });
    await expect(strict.chat.postMessage({ channel: 'C1', text: 'still posts' })).resolves.toMatchObject({ ok: true });
    slack.unthrottle('reactions.add');
    await expect(add()).resolves.toMatchObject({ ok: true });
    expect(slack.calls.filter((c) => c.method === 'reactions.add').map((c) => c.failed === true)).toEqual([
      true,
      true,
      false,
    ]);
    const raw = await fetch(`${slack.apiUrl}chat.update?text=x`, { method: 'POST' });
    expect(raw.status).toBe(200);
    slack.throttle('chat.update', 3);
    const limited = await fetch(`${slack.apiUrl}chat.update?text=x`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    await expect(limited.json()).resolves.toEqual({ ok: false, error: 'ratelimited' });
  });

  it('answers 503 to every call while down, and normally once up again', async () => {
    slack.down();
    await expect(client.chat.postMessage({ channel: 'C1', text: 'lost' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 503,
    });
    await expect(client.reactions.add({ channel: 'C1', timestamp: '1.1', name: 'eyes' })).rejects.toThrow(/503/);
    slack.up();
    await expect(client.chat.postMessage({ channel: 'C1', text: 'back' })).resolves.toMatchObject({ ok: true });
    expect(slack.calls.map((c) => c.failed === true)).toEqual([true, true, false]);
  });

  it('answers after the latency set, having recorded the call on arrival', async () => {
    slack.setLatency(150);
    const started = Date.now();
    let answered = false;
    const answer = client.chat.postMessage({ channel: 'C1', text: 'slow' }).finally(() => {
      answered = true;
    });
    await slack.waitFor('chat.postMessage');
    expect(answered).toBe(false);
    await expect(answer).resolves.toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  it("names the bot's granted scopes in auth.test's x-oauth-scopes header, the manifest's by default", async () => {
    expect((await client.auth.test()).response_metadata?.scopes).toEqual([...MANIFEST_BOT_SCOPES]);
    slack.scopes = ['chat:write', 'commands'];
    expect((await client.auth.test()).response_metadata?.scopes).toEqual(['chat:write', 'commands']);
  });
});

describe('FakeDevin', () => {
  let devin: FakeDevin;

  beforeEach(async () => {
    devin = await FakeDevin.start();
  });
  afterEach(() => devin.close());

  it('requires the API key and serves the session lifecycle', async () => {
    expect(await devinFetch(devin, 'GET', '/v1/sessions/x', undefined, 'wrong')).toEqual({
      status: 401,
      text: JSON.stringify({ detail: 'Invalid API key' }),
    });

    const missing = await devinFetch(devin, 'POST', '/v1/sessions', {});
    expect(missing.status).toBe(422);

    const created = await devinFetch(devin, 'POST', '/v1/sessions', { prompt: 'do it' });
    expect(created.status).toBe(200);
    const { session_id: id, url, is_new_session } = JSON.parse(created.text);
    expect(id).toMatch(/^devin-[0-9a-f]{32}$/);
    expect(url).toMatch(/^https:\/\/app\.devin\.ai\/sessions\/[0-9a-f]{32}$/);
    expect(is_new_session).toBe(true);

    const sent = await devinFetch(devin, 'POST', `/v1/sessions/${id}/message`, { message: 'one' });
    expect(sent).toEqual({ status: 200, text: 'null' });
    devin.noContent = true;
    expect(await devinFetch(devin, 'POST', `/v1/session/${id}/message`, { message: 'two' })).toEqual({
      status: 204,
      text: '',
    });
    devin.pause(id);
    expect(await devinFetch(devin, 'POST', `/v1/sessions/${id}/message`, { message: 'held' })).toEqual({
      status: 200,
      text: JSON.stringify({ detail: 'Session is suspended' }),
    });
    devin.resume(id);
    expect(devin.delivered(id)).toEqual(['one', 'two']);

    const got = await devinFetch(devin, 'GET', `/v1/sessions/${id}`);
    const session = JSON.parse(got.text);
    expect(session).not.toHaveProperty('paused');
    expect(session.messages.map((m: { type: string }) => m.type)).toEqual([
      'initial_user_message',
      'user_message',
      'user_message',
    ]);
    expect((await devinFetch(devin, 'GET', '/v1/sessions/devin-nope')).status).toBe(404);
    expect((await devinFetch(devin, 'POST', '/v1/sessions/devin-nope/message', { message: 'x' })).status).toBe(404);
  });

  it('ends a session on DELETE, once, and counts it', async () => {
    const s = devin.addSession();
    expect(await devinFetch(devin, 'DELETE', `/v1/sessions/${s.session_id}`)).toEqual({
      status: 200,
      text: JSON.stringify({ detail: 'Session terminated successfully' }),
    });
    expect(JSON.parse((await devinFetch(devin, 'GET', `/v1/sessions/${s.session_id}`)).text)).toMatchObject({
      status: 'exit',
      status_enum: 'finished',
    });
    expect((await devinFetch(devin, 'DELETE', `/v1/sessions/${s.session_id}`)).status).toBe(400);
    expect((await devinFetch(devin, 'DELETE', '/v1/sessions/devin-nope')).status).toBe(404);
    expect(devin.terminatedCount(s.session_id)).toBe(1);
  });

  it('plays scripted answers in order, with thenDeliver, raw bodies and delays', async () => {
    const s = devin.addSession();
    const path = `/v1/sessions/${s.session_id}/message`;
    devin.script('POST', '/v1/sessions/:id/message', [
      { status: 503, body: { detail: 'busy' } },
      { status: 502, thenDeliver: true },
      { body: '{not json' },
      { delayMs: 100 },
    ]);
    expect(await devinFetch(devin, 'POST', path, { message: 'a' })).toEqual({ status: 503, text: '{"detail":"busy"}' });
    expect((await devinFetch(devin, 'POST', path, { message: 'b' })).status).toBe(502);
    expect(await devinFetch(devin, 'POST', path, { message: 'c' })).toEqual({ status: 200, text: '{not json' });
    const started = Date.now();
    expect(await devinFetch(devin, 'POST', path, { message: 'd' })).toEqual({ status: 200, text: 'null' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    await devinFetch(devin, 'POST', path, { message: 'e' });
    expect(devin.delivered(s.session_id)).toEqual(['b', 'e']);
    expect(devin.requests.filter((r) => r.path === path).map((r) => r.body.message)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('hangNext holds the answer until the client gives up, and waiters are event-driven', async () => {
    const s = devin.addSession();
    devin.hangNext('POST', /\/message$/);
    const delivered = devin.waitForDelivered(s.session_id, 1, 1000);
    const seen = devin.waitForRequest('POST', `/v1/sessions/${s.session_id}/message`, 1000);
    await expect(
      fetch(`${devin.url}/v1/sessions/${s.session_id}/message`, {
        method: 'POST',
        headers: { authorization: 'Bearer apk_test_key', 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'slow' }),
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
    await expect(seen).resolves.toMatchObject({ body: { message: 'slow' } });
    await devinFetch(devin, 'POST', `/v1/sessions/${s.session_id}/message`, { message: 'fast' });
    await expect(delivered).resolves.toEqual(['fast']);
    await expect(devin.waitForDelivered(s.session_id, 2, 30)).rejects.toThrow(/timed out after 30 ms/);
  });

  it('lists sessions newest first, at most `limit` of them', async () => {
    devin.addSession({ title: 'older' });
    devin.addSession({ title: 'newer' });
    const listed = await devinFetch(devin, 'GET', '/v1/sessions?limit=1');
    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.text).sessions.map((s: { title: string }) => s.title)).toEqual(['newer']);
    expect(JSON.parse((await devinFetch(devin, 'GET', '/v1/sessions')).text).sessions).toHaveLength(2);
  });
});

describe('FakeDevin, v3 personality', () => {
  let devin: FakeDevin;
  const token = 'cog_test_token';
  const org = '/v3/organizations/org-test';

  beforeEach(async () => {
    devin = await FakeDevin.start({ version: 'v3', orgId: 'org-test' });
  });
  afterEach(() => devin.close());

  it('takes the cog_ token on v3 only, and refuses an apk_ key', async () => {
    expect((await devinFetch(devin, 'GET', '/v3/self', undefined, token)).status).toBe(200);
    expect((await devinFetch(devin, 'GET', '/v3/self', undefined, 'apk_test_key')).status).toBe(401);
    expect((await devinFetch(devin, 'GET', '/v1/sessions', undefined, token)).status).toBe(401);
    expect((await devinFetch(devin, 'GET', '/v3/organizations/org-other/sessions', undefined, token)).status).toBe(404);
  });

  it('pages the message list with first and after, and gives no end_cursor on the last page, as documented', async () => {
    const session = devin.addSession();
    for (let i = 0; i < 5; i += 1) devin.say(session.session_id, `m${i}`, `message ${i}`);
    const path = `${org}/sessions/${session.session_id}/messages`;
    const first = JSON.parse((await devinFetch(devin, 'GET', `${path}?first=3`, undefined, token)).text);
    expect(first).toMatchObject({ has_next_page: true, end_cursor: expect.any(String), total: 5 });
    expect(first.items.map((m: { event_id: string }) => m.event_id)).toEqual(['m0', 'm1', 'm2']);
    expect(first.items[0]).toEqual({
      event_id: 'm0',
      message: 'message 0',
      source: 'devin',
      created_at: expect.any(Number),
    });
    const last = JSON.parse(
      (await devinFetch(devin, 'GET', `${path}?first=3&after=${first.end_cursor}`, undefined, token)).text,
    );
    expect(last).toMatchObject({ has_next_page: false, end_cursor: null });
    expect(last.items.map((m: { event_id: string }) => m.event_id)).toEqual(['m3', 'm4']);
    expect((await devinFetch(devin, 'GET', `${path}?first=201`, undefined, token)).status).toBe(422);
    expect(devin.requests.at(-2)?.answerBytes).toBeGreaterThan(0);
  });

  it('resumes a suspended session on send (not one out of credits), and fills status_detail only on reads', async () => {
    const session = devin.addSession();
    const send = (text: string) =>
      devinFetch(devin, 'POST', `${org}/sessions/${session.session_id}/messages`, { message: text }, token);
    devin.setState(session.session_id, 'quota');
    expect(JSON.parse((await send('one')).text)).toMatchObject({ status: 'suspended' });
    expect(JSON.parse((await send('one')).text)).not.toHaveProperty('status_detail');
    devin.setState(session.session_id, 'asleep');
    expect(JSON.parse((await send('two')).text)).toMatchObject({ status: 'resuming' });
    const read = JSON.parse(
      (await devinFetch(devin, 'GET', `${org}/sessions/${session.session_id}`, undefined, token)).text,
    );
    expect(read).toMatchObject({ status: 'running', status_detail: 'working', acus_consumed: 0, pull_requests: [] });
    expect(devin.delivered(session.session_id)).toEqual(['two']);
  });

  it('lists sessions newest first by updated_at, filtered by updated_after/before and session_ids, paged', async () => {
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
    const old = devin.addSession({ updated_at: at(300) });
    const middle = devin.addSession({ updated_at: at(200) });
    const recent = devin.addSession({ updated_at: at(100) });
    const seconds = (id: string) => Math.floor(Date.parse(devin.mustGet(id).updated_at) / 1000);
    const list = async (query: string) =>
      JSON.parse((await devinFetch(devin, 'GET', `${org}/sessions?${query}`, undefined, token)).text) as {
        items: Array<{ session_id: string; updated_at: number }>;
        has_next_page: boolean;
        end_cursor: string | null;
      };
    const ids = (page: { items: Array<{ session_id: string }> }) => page.items.map((s) => s.session_id);

    expect(ids(await list('first=10'))).toEqual([recent, middle, old].map((s) => s.session_id));
    expect(ids(await list(`updated_after=${seconds(old.session_id)}`))).toEqual(
      [recent, middle].map((s) => s.session_id),
    );
    expect(ids(await list(`updated_before=${seconds(recent.session_id)}`))).toEqual(
      [middle, old].map((s) => s.session_id),
    );
    expect(ids(await list(`session_ids=${old.session_id},${recent.session_id}`))).toEqual(
      [recent, old].map((s) => s.session_id),
    );

    // A message or a new state moves updated_at; a quiet change does not.
    devin.say(old.session_id, 'e1', 'news');
    expect(ids(await list('first=1'))).toEqual([old.session_id]);
    const before = devin.mustGet(middle.session_id).updated_at;
    devin.say(middle.session_id, 'e2', 'unlisted', { quietly: true });
    devin.setState(middle.session_id, 'waiting', { quietly: true });
    expect(devin.mustGet(middle.session_id).updated_at).toBe(before);

    const first = await list('first=2');
    expect(first).toMatchObject({ has_next_page: true, end_cursor: expect.any(String) });
    const second = await list(`first=2&after=${first.end_cursor}`);
    expect([...ids(first), ...ids(second)]).toEqual([old, recent, middle].map((s) => s.session_id));
    expect(second).toMatchObject({ has_next_page: false, end_cursor: null });
    expect(devin.callsByRoute()).toEqual({ 'GET /v3/organizations/:org/sessions': 7 });
  });
});

describe('slack-signing', () => {
  it('matches the HMAC vector from the Slack docs and what Bolt accepts', () => {
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
      '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signBody(secret, body, 1531420618)).toEqual({
      'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'X-Slack-Request-Timestamp': '1531420618',
    });
    const now = Math.floor(Date.now() / 1000);
    const headers = signBody('s3cret', '{"a":1}', now);
    expect(
      isValidSlackRequest({
        signingSecret: 's3cret',
        body: '{"a":1}',
        headers: {
          'x-slack-signature': headers['X-Slack-Signature'] ?? '',
          'x-slack-request-timestamp': now,
        },
      }),
    ).toBe(true);
  });

  it('builds unique, realistic payloads', () => {
    const a = messageEvent({ text: 'hi <@UBOT>' });
    const b = messageEvent();
    expect(a).toMatchObject({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1' });
    expect(a.authorizations[0]).toMatchObject({ team_id: 'T1', user_id: 'UBOT', is_bot: true });
    expect(a.event).toMatchObject({ type: 'message', channel: 'C1', user: 'U1', text: 'hi <@UBOT>' });
    expect(a.event.blocks[0].elements[0].elements).toEqual([
      { type: 'text', text: 'hi ' },
      { type: 'user', user_id: 'UBOT' },
    ]);
    expect(a.event_id).not.toBe(b.event_id);
    expect(Number(b.event.ts)).toBeGreaterThan(Number(a.event.ts));
    expect(a.event.event_ts).toBe(a.event.ts);

    const reply = threadReply(a.event.ts, 'more', { user: 'U2' });
    expect(reply.event).toMatchObject({ thread_ts: a.event.ts, text: 'more', user: 'U2' });
    expect(appMentionEvent().event.type).toBe('app_mention');
    expect(fixtureEvent('message-changed').event.subtype).toBe('message_changed');
    expect(messageEvent({ client_msg_id: undefined }).event).not.toHaveProperty('client_msg_id');

    const ts = nextTs();
    const action = blockAction({ container: { message_ts: ts }, actions: [{ value: 'devin-xyz' }] });
    expect(action.actions[0]).toMatchObject({ action_id: 'resend_held', value: 'devin-xyz' });
    expect(action.container).toMatchObject({ channel_id: 'C1', message_ts: ts });
    expect(action.message.ts).toBe(ts);
    expect(slashCommand({ text: 'hello' })).toMatchObject({ command: '/devin', text: 'hello', user_id: 'U1' });
  });
});

describe('end to end with a Bolt app', () => {
  it('signed events, commands and actions reach Bolt, which talks to FakeSlack', async () => {
    const slack = await FakeSlack.start();
    const secret = 'test-signing-secret';
    const app = new App({
      token: 'xoxb-test',
      signingSecret: secret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: quietRetries },
    });
    app.message(async ({ message, say }) => {
      if ('text' in message) await say({ text: `echo: ${message.text}`, thread_ts: message.ts });
    });
    app.command('/devin', async ({ ack, respond, command }) => {
      await ack();
      await respond(`got ${command.text}`);
    });
    app.action('resend_held', async ({ ack, respond, action }) => {
      await ack();
      if (action.type === 'button') await respond(`resend ${action.value}`);
    });
    const server = await app.start(0);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

      const event = messageEvent({ text: 'ping' });
      expect((await postEvent(url, secret, event)).status).toBe(200);
      await expect(slack.waitFor('chat.postMessage')).resolves.toMatchObject({
        channel: 'C1',
        text: 'echo: ping',
        thread_ts: event.event.ts,
      });

      const command = await postCommand(url, secret, slashCommand({ response_url: slack.responseUrl('cmd') }));
      expect(command.status).toBe(200);
      await expect(slack.waitForResponse((r) => r.name === 'cmd')).resolves.toMatchObject({
        body: { text: 'got add a health check endpoint' },
      });

      expect((await postAction(url, secret, blockAction({ response_url: slack.responseUrl('act') }))).status).toBe(200);
      await expect(slack.waitForResponse((r) => r.name === 'act')).resolves.toMatchObject({
        body: { text: 'resend devin-abc' },
      });

      expect((await postEvent(url, secret, messageEvent(), { signature: 'v0=forged' })).status).toBe(401);
      const stale = Math.floor(Date.now() / 1000) - 600;
      expect((await postEvent(url, secret, messageEvent(), { timestampSec: stale })).status).toBe(401);
      expect((await postRaw(url, secret, '{oops', 'application/json')).status).toBeGreaterThanOrEqual(400);
    } finally {
      await app.stop();
      await slack.close();
    }
  });
});
