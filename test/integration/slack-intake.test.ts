import { Harness, SIGNING_SECRET } from '../support/harness';
import { appMentionEvent, type Json, postRaw, threadReply, urlVerification } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const messagePosts = (sessionId: string) =>
  h.devin.requests.filter((r) => r.method === 'POST' && r.path === `/v1/sessions/${sessionId}/message`);

/**
 * Holds users.info answers until `n` lookups are in flight at once, so that `n` requests are processed together.
 * Returns how many were in flight at most.
 */
/** Holds every name lookup until `release()`; counts the lookups answered, which Slack's answer must not wait for. */
function holdNameLookups(): { release: () => void; answered: () => number } {
  let answered = 0;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const giveUp = setTimeout(() => release(), 5000).unref();
  h.slack.setHandler('users.info', async () => {
    await released;
    clearTimeout(giveUp);
    answered += 1;
    return undefined;
  });
  return { release, answered: () => answered };
}

/** A user the app has not looked up yet, so that its name lookup is not answered from the cache. */
function freshUser(id: string, displayName: string): string {
  h.slack.users.set(id, { name: displayName.toLowerCase(), displayName });
  return id;
}

describe('Slack retries', () => {
  it('relays a reply once when Slack redelivers the same event after an http_timeout', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const reply = threadReply(threadTs, 'first words');

    expect((await h.event(reply)).status).toBe(200);
    await h.devin.waitForDelivered(sessionId, 1);
    expect((await h.event(reply, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    expect((await h.event(reply, { retryNum: 2, retryReason: 'http_timeout' })).status).toBe(200);
    await h.event(threadReply(threadTs, 'second words'));

    await h.devin.waitForDelivered(sessionId, 2);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([
      'Alice (@alice, U1) via Slack: first words',
      'Alice (@alice, U1) via Slack: second words',
    ]);
    expect(messagePosts(sessionId)).toHaveLength(2);
  });

  it('relays a reply once when the retry arrives while the first delivery of the event is still being processed', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const reply = threadReply(threadTs, 'said while Slack was impatient', { user: freshUser('U3', 'Carol') });
    const names = holdNameLookups();

    const answers = await Promise.all([h.event(reply), h.event(reply, { retryNum: 1, retryReason: 'http_timeout' })]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    // Both copies were answered while no name had been looked up: the answer waits for the record only.
    expect(names.answered()).toBe(0);
    names.release();
    await h.event(threadReply(threadTs, 'and then this'));

    await h.devin.waitForDelivered(sessionId, 2);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([
      'Carol (@carol, U3) via Slack: said while Slack was impatient',
      'Alice (@alice, U1) via Slack: and then this',
    ]);
  });
});

describe('mention twins', () => {
  /** The same @mention in a bound thread, as Slack sends it twice: app_mention and message, with their own event ids. */
  function twins(threadTs: string, text: string, user: string): { mention: Json; message: Json } {
    const mention = appMentionEvent({ thread_ts: threadTs, text, user });
    const message = threadReply(threadTs, text, { ts: mention.event.ts, user });
    expect(message.event_id).not.toBe(mention.event_id);
    return { mention, message };
  }

  it.each([
    ['app_mention first', false],
    ['message first', true],
  ])('relays an @mention in a bound thread once when both of its events arrive together (%s)', async (_, reverse) => {
    const { sessionId, threadTs } = await h.linkedThread();
    const { mention, message } = twins(threadTs, '<@UBOT> please also run the linter', freshUser('U4', 'Dana'));
    const names = holdNameLookups();

    const pair = reverse ? [message, mention] : [mention, message];
    const answers = await Promise.all(pair.map((p) => h.event(p)));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(names.answered()).toBe(0);
    names.release();
    await h.event(threadReply(threadTs, 'thanks'));

    await h.devin.waitForDelivered(sessionId, 2);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([
      'Dana (@dana, U4) via Slack: please also run the linter',
      'Alice (@alice, U1) via Slack: thanks',
    ]);
    const receipts = h.slack.callsTo('reactions.add').filter((r) => r.timestamp === mention.event.ts);
    expect(receipts.map((r) => r.name)).toEqual(['white_check_mark']);
  });

  it('relays an @mention in a bound thread once when its twin arrives after it was delivered', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const { mention, message } = twins(threadTs, '<@UBOT> rebase on main', 'U1');

    await h.event(message);
    await h.devin.waitForDelivered(sessionId, 1);
    await h.event(mention);
    await h.event(threadReply(threadTs, 'ok'));

    await h.devin.waitForDelivered(sessionId, 2);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([
      'Alice (@alice, U1) via Slack: rebase on main',
      'Alice (@alice, U1) via Slack: ok',
    ]);
  });
});

describe('request authenticity', () => {
  it.each([
    ['a forged signature', { signature: `v0=${'deadbeef'.repeat(8)}` }],
    ['a timestamp ten minutes old', { timestampSec: Math.floor(Date.now() / 1000) - 600 }],
  ])('refuses a reply with %s with 401 and never relays it', async (_, options) => {
    const { sessionId, threadTs } = await h.linkedThread();

    const forged = await h.event(threadReply(threadTs, 'delete the production database'), options);
    expect(forged.status).toBe(401);
    await h.event(threadReply(threadTs, 'a genuine reply'));

    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: a genuine reply']);
    expect(messagePosts(sessionId)).toHaveLength(1);
  });
});

describe('malformed bodies', () => {
  it('answers malformed bodies without relaying them and keeps relaying real replies', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const post = (body: string, contentType = 'application/json') =>
      postRaw(h.eventsUrl, SIGNING_SECRET, body, contentType);
    const leak = (text: string) => threadReply(threadTs, text);
    const { event: strayEvent, ...withoutEvent } = leak('from a body without event');

    // Invalid JSON, an empty body, and bodies Bolt cannot type (no event, a form that is no command) all get 400 at once.
    const answers = await Promise.all([
      post(`${JSON.stringify(leak('from invalid JSON'))}}`),
      post(''),
      post(JSON.stringify({ ...withoutEvent, payload: strayEvent })),
      post(
        new URLSearchParams({
          team_id: 'T1',
          channel_id: 'C1',
          user_id: 'U1',
          thread_ts: threadTs,
          text: 'from a form',
        }).toString(),
        'application/x-www-form-urlencoded',
      ),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400]);

    await h.event(threadReply(threadTs, 'still here?'));
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: still here?']);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe('url verification', () => {
  it('answers the url_verification handshake with its challenge', async () => {
    const res = await h.event(urlVerification('abc'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'abc' });
  });
});

describe('store errors', () => {
  it('answers 500 and logs an error when the store fails, so that Slack redelivers the reply, which then arrives once', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const reply = threadReply(threadTs, 'do not lose me');

    await h.store.close();
    const res = await h.event(reply);
    expect(res.status).toBe(500);
    const errors = h.logs.map((line) => JSON.parse(line)).filter((l) => l.level >= 50);
    expect(errors.map((l) => l.err?.type)).toContain('StoreError');
    expect(h.devin.delivered(sessionId)).toEqual([]);

    await h.running.stop();
    const restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir });
    try {
      expect((await restarted.event(reply, { retryNum: 1, retryReason: 'http_error' })).status).toBe(200);
      await h.devin.waitForDelivered(sessionId, 1);
      await restarted.idle();
      expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: do not lose me']);
      expect(messagePosts(sessionId)).toHaveLength(1);
    } finally {
      await restarted.running.stop();
      await restarted.store.close();
    }
  });
});

describe('http routes', () => {
  it('answers GET /healthz with 200 and ok once started, and 404 for unknown paths', async () => {
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });

    const unknown = await fetch(`${h.baseUrl}/nope`);
    expect(unknown.status).toBe(404);
    await unknown.arrayBuffer();
    const unknownPost = await fetch(`${h.baseUrl}/slack/other`, { method: 'POST', body: '{}' });
    expect(unknownPost.status).toBe(404);
    await unknownPost.arrayBuffer();
  });
});
