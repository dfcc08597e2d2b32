import type { FakeSession } from '../support/fake-devin';
import { FlakyStore } from '../support/flaky-store';
import { Harness } from '../support/harness';
import { withoutOrigin } from '../support/prompts';
import { appMentionEvent, messageEvent, nextTs, threadReply } from '../support/slack-signing';

const SESSIONS_PATH = '/v1/sessions';

let h: Harness;
let restarted: Harness | undefined;
let flaky: FlakyStore;
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
  await h.close();
});

async function startWithFlakyStore(): Promise<void> {
  h = await Harness.start({
    wrapStore: (store) => {
      flaky = new FlakyStore(store);
      return flaky;
    },
  });
}

/** Stops the app and starts a new one on the same SQLite file, Slack and Devin. */
async function restart(): Promise<Harness> {
  await h.stopApp();
  restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir });
  return restarted;
}

const creates = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path === SESSIONS_PATH);
const threadPosts = (threadTs: string) => h.slack.callsTo('chat.postMessage').filter((a) => a.thread_ts === threadTs);
const rootPosts = () => h.slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.args.thread_ts);
/** How many sentences a text holds (ends of sentences followed by a space or the end). */
const sentences = (text: string) => text.match(/[.!?](?=\s|$)/g)?.length ?? 0;

/** Every create asked for idempotency with the same prompt, and Devin has exactly one session for it. */
function theOneSession(prompt: string): FakeSession {
  expect(creates().length).toBeGreaterThan(0);
  const sent = String(creates()[0]?.body.prompt);
  expect(withoutOrigin(sent)).toBe(withoutOrigin(prompt));
  for (const request of creates()) expect(request.body).toEqual({ prompt: sent, idempotent: true });
  const sessions = [...h.devin.sessions.values()].filter((s) => s.messages[0]?.message === sent);
  expect(sessions).toHaveLength(1);
  const [session] = sessions;
  if (!session) throw new Error(`no session for ${JSON.stringify(prompt)}`);
  return session;
}

describe('a start interrupted by a stop', () => {
  it('resumes a mention whose create went unanswered: one session, its thread bound, one answer', async () => {
    h = await Harness.start();
    // Devin makes the session but its answer never comes back before the app stops.
    h.devin.hangNext('POST', SESSIONS_PATH, { thenDeliver: true });
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    const mentionTs: string = mention.event.ts;
    expect((await h.event(mention)).status).toBe(200);
    await h.devin.waitForRequest('POST', SESSIONS_PATH);

    const app = await restart();
    const answer = await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mentionTs);
    expect(creates()).toHaveLength(2);
    const session = theOneSession('Alice (@alice, U1) via Slack: fix the build');
    expect(answer.text).toMatch(/^:rocket: Started/);
    expect(answer.text).toContain(`<${session.url}|`);

    await app.event(threadReply(mentionTs, 'it broke after the upgrade'));
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: it broke after the upgrade',
    ]);
    await app.idle();
    expect(threadPosts(mentionTs)).toHaveLength(1);
  });

  it('sends the saved prompt again, not a new one, when the session id could not be saved', async () => {
    await startWithFlakyStore();
    const parentTs = nextTs();
    const mentionTs = nextTs();
    const text = '<@UBOT> please fix it';
    const thread = (first: string) => [
      { type: 'message', user: 'U2', text: first, ts: parentTs },
      { type: 'message', user: 'U1', text, ts: mentionTs, thread_ts: parentTs },
    ];
    h.slack.setThread('C1', parentTs, thread('the login test fails on CI'));
    // The record and its prompt are written; then saving the session id fails, and so does saving the failure.
    flaky.failNext('set', 'start:', { skip: 2, times: 2 });
    expect((await h.event(appMentionEvent({ text, ts: mentionTs, thread_ts: parentTs }))).status).toBe(200);
    await h.idle();
    expect(flaky.failed).toHaveLength(2);
    expect(creates()).toHaveLength(1);
    expect(threadPosts(parentTs)).toEqual([]);

    // The thread changed meanwhile: a prompt built again would differ, and Devin would make a second session.
    h.slack.setThread('C1', parentTs, thread('the login test fails on CI (edited)'));
    const app = await restart();
    await app.idle();
    expect(creates()).toHaveLength(2);
    const session = theOneSession(String(creates()[0]?.body.prompt));
    expect(withoutOrigin(session.messages[0]?.message)).toMatch(/\n> Bob \(@bob, U2\): the login test fails on CI$/);
    expect(threadPosts(parentTs)).toHaveLength(1);
    await app.event(threadReply(parentTs, 'the failing job is e2e-login'));
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: the failing job is e2e-login',
    ]);
  });

  it('resumes a direct message whose create went unanswered: one session, one answer in its thread', async () => {
    h = await Harness.start();
    h.devin.hangNext('POST', SESSIONS_PATH, { thenDeliver: true });
    const dm = messageEvent({ channel: 'D1', channel_type: 'im', text: 'add a health check endpoint' });
    const dmTs: string = dm.event.ts;
    expect((await h.event(dm)).status).toBe(200);
    await h.devin.waitForRequest('POST', SESSIONS_PATH);

    const app = await restart();
    await app.idle();
    expect(creates()).toHaveLength(2);
    const session = theOneSession('Alice (@alice, U1) via Slack: add a health check endpoint');
    const answers = h.slack.callsTo('chat.postMessage').filter((a) => a.channel === 'D1' && a.thread_ts === dmTs);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.text).toContain(`<${session.url}|`);

    await app.event(threadReply(dmTs, 'use /healthz', { channel: 'D1', channel_type: 'im' }));
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: use /healthz',
    ]);
  });

  it('resumes /devin new whose create went unanswered: root posted once and updated once, the person told once', async () => {
    h = await Harness.start();
    h.devin.hangNext('POST', SESSIONS_PATH, { thenDeliver: true });
    const res = await h.command('new fix the flaky login test', { response_url: h.slack.responseUrl('new') });
    expect(res.status).toBe(200);
    await h.devin.waitForRequest('POST', SESSIONS_PATH);
    expect(rootPosts()).toHaveLength(1);

    const app = await restart();
    const confirmed = await h.slack.waitForResponse((r) => r.name === 'new');
    await app.idle();
    expect(confirmed.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^Started <https/),
    });
    expect(h.slack.responses.filter((r) => r.name === 'new')).toHaveLength(1);
    expect(creates()).toHaveLength(2);
    const session = theOneSession('Alice (@alice, U1) via Slack: fix the flaky login test');
    const roots = rootPosts();
    expect(roots).toHaveLength(1);
    const rootTs = String(roots[0]?.answer?.ts);
    const updates = h.slack.callsTo('chat.update').filter((a) => a.ts === rootTs);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.text).toContain(session.session_id);

    await app.event(threadReply(rootTs, 'it only fails on CI'));
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: it only fails on CI',
    ]);
  });
});

describe('copies of a mention', () => {
  it('starts one session and answers once when Slack redelivers the mention, during its start and after', async () => {
    h = await Harness.start();
    const parentTs = nextTs();
    const mentionTs = nextTs();
    const text = '<@UBOT> fix the build';
    h.slack.setThread('C1', parentTs, [{ type: 'message', user: 'U2', text: 'the build is red', ts: parentTs }]);
    const session = h.devin.addSession();
    h.devin.script('POST', SESSIONS_PATH, [
      { delayMs: 400, body: { session_id: session.session_id, url: session.url, is_new_session: true } },
    ]);
    const mention = appMentionEvent({ text, ts: mentionTs, thread_ts: parentTs });
    // Slack also sends the mention as a `message` in the thread, with an event id of its own.
    const asMessage = () => threadReply(parentTs, text, { ts: mentionTs });
    expect((await h.event(mention)).status).toBe(200);
    await h.devin.waitForRequest('POST', SESSIONS_PATH);
    expect((await h.event(mention, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    expect((await h.event(asMessage())).status).toBe(200);
    await h.idle();
    expect(threadPosts(parentTs)).toHaveLength(1);

    expect((await h.event(mention, { retryNum: 2, retryReason: 'http_timeout' })).status).toBe(200);
    expect((await h.event(asMessage())).status).toBe(200);
    await h.event(threadReply(parentTs, 'it broke after the upgrade'));
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: it broke after the upgrade',
    ]);
    await h.idle();
    expect(creates()).toHaveLength(1);
    expect(threadPosts(parentTs)).toHaveLength(1);
    expect(h.devin.delivered(session.session_id)).toHaveLength(1);
  });
});

describe('a store failure while a start is accepted', () => {
  it('answers 500 when the start cannot be recorded, and starts one session from the redelivery', async () => {
    await startWithFlakyStore();
    flaky.failNext('set', 'start:');
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    const mentionTs: string = mention.event.ts;
    expect((await h.event(mention)).status).toBe(500);
    await h.idle();
    expect(creates()).toEqual([]);

    expect((await h.event(mention, { retryNum: 1, retryReason: 'http_error' })).status).toBe(200);
    await h.idle();
    theOneSession('Alice (@alice, U1) via Slack: fix the build');
    expect(creates()).toHaveLength(1);
    expect(threadPosts(mentionTs)).toHaveLength(1);
  });

  it('starts a recorded session once when its claims could not be taken, and ignores the redelivery', async () => {
    await startWithFlakyStore();
    flaky.failNext('claim', 'seen-message:');
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    const mentionTs: string = mention.event.ts;
    expect((await h.event(mention)).status).toBe(500);
    await h.idle();
    expect((await h.event(mention, { retryNum: 1, retryReason: 'http_error' })).status).toBe(200);
    expect((await h.event(threadReply(mentionTs, 'and the tests'))).status).toBe(200);
    await h.idle();
    const session = theOneSession('Alice (@alice, U1) via Slack: fix the build');
    expect(creates()).toHaveLength(1);
    expect(threadPosts(mentionTs)).toHaveLength(1);
    expect(h.devin.delivered(session.session_id)).toEqual(['Alice (@alice, U1) via Slack: and the tests']);
  });
});

describe('when Devin cannot start the session', () => {
  it('answers a start Devin refuses (422) in one sentence, and does not try it again', async () => {
    h = await Harness.start();
    h.devin.script('POST', SESSIONS_PATH, [{ status: 422, body: { detail: 'prompt too long' } }]);
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    await h.event(mention);
    await h.idle();
    const [told, ...more] = threadPosts(mention.event.ts);
    expect(more).toEqual([]);
    expect(told?.text).toBe(
      ":warning: I couldn't start a Devin session: Devin's API refused the request (HTTP 422: prompt too long).",
    );
    expect(sentences(String(told?.text))).toBe(1);

    h.clock.advance(600_000);
    await h.running.starts.resumeAll();
    await h.idle();
    expect(creates()).toHaveLength(1);
    expect(h.devin.sessions.size).toBe(0);
  });

  it('tries a start again on the sweep after a 503, and answers once when Devin is back', async () => {
    h = await Harness.start();
    h.devin.script('POST', SESSIONS_PATH, [{ status: 503, body: { detail: 'overloaded' } }]);
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    const mentionTs: string = mention.event.ts;
    await h.event(mention);
    await h.idle();
    expect(creates()).toHaveLength(1);
    expect(threadPosts(mentionTs)).toEqual([]);

    // Not due yet: the sweep leaves it until its wait is over.
    await h.running.starts.resumeDue();
    expect(creates()).toHaveLength(1);
    h.clock.advance(5_000);
    await h.running.starts.resumeDue();
    await h.idle();
    expect(creates()).toHaveLength(2);
    const session = theOneSession('Alice (@alice, U1) via Slack: fix the build');
    const posts = threadPosts(mentionTs);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toContain(`<${session.url}|`);
  });

  it('gives up a start that keeps failing once its retry window is over, and tells the thread once', async () => {
    h = await Harness.start();
    h.devin.script(
      'POST',
      SESSIONS_PATH,
      Array.from({ length: 10 }, () => ({ status: 503, body: { detail: 'overloaded' } })),
    );
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    await h.event(mention);
    await h.idle();
    h.clock.advance(61_000);
    await h.running.starts.resumeDue();
    await h.idle();
    const [told, ...more] = threadPosts(mention.event.ts);
    expect(more).toEqual([]);
    expect(told?.text).toBe(
      ":warning: I couldn't start a Devin session: Devin's API is having trouble (HTTP 503); try again shortly.",
    );

    h.clock.advance(600_000);
    await h.running.starts.resumeAll();
    await h.idle();
    expect(creates()).toHaveLength(2);
    expect(threadPosts(mention.event.ts)).toHaveLength(1);
  });
});
