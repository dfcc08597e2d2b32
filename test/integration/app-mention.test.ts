import { Harness } from '../support/harness';
import { withoutOrigin } from '../support/prompts';
import { relayedWords } from '../support/relayed-words';
import { appMentionEvent, messageEvent, nextTs, threadReply } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const createdSessions = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions');
const threadPosts = (threadTs: string) => h.slack.callsTo('chat.postMessage').filter((a) => a.thread_ts === threadTs);
/** How many sentences a text holds (ends of sentences followed by a space or the end). */
const sentences = (text: string) => text.match(/[.!?](?=\s|$)/g)?.length ?? 0;

/** The fake session Devin created for this prompt. */
function sessionFor(prompt: string) {
  const session = [...h.devin.sessions.values()].find(
    (s) => withoutOrigin(s.messages[0]?.message) === withoutOrigin(prompt),
  );
  if (!session) throw new Error(`no session was created for ${JSON.stringify(prompt)}`);
  return session;
}

describe('@Devin in a channel', () => {
  it('starts a session with the task, answers in the thread of the mention, and relays later replies', async () => {
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    const mentionTs: string = mention.event.ts;
    expect((await h.event(mention)).status).toBe(200);

    const answer = await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mentionTs);
    const [created] = createdSessions();
    expect(withoutOrigin(created?.body.prompt)).toBe('Alice (@alice, U1) via Slack: fix the build');
    const session = sessionFor(created?.body.prompt);
    expect(answer.channel).toBe('C1');
    expect(answer.text).toContain(`<${session.url}|`);

    await h.event(messageEvent({ ts: mentionTs, text: '<@UBOT> fix the build' }));
    await h.event(threadReply(mentionTs, 'it broke after the upgrade'));
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: it broke after the upgrade',
    ]);
    await h.idle();
    expect(createdSessions()).toHaveLength(1);
    expect(h.devin.delivered(session.session_id)).toEqual(['Alice (@alice, U1) via Slack: it broke after the upgrade']);
    expect(threadPosts(mentionTs)).toHaveLength(1);
  });

  it('links the message that asked at the end of the prompt, so the same words asked twice start two sessions', async () => {
    const first = appMentionEvent({ text: '<@UBOT> fix the build' });
    const second = appMentionEvent({ text: '<@UBOT> fix the build' });
    expect((await h.event(first)).status).toBe(200);
    await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === first.event.ts);
    expect((await h.event(second)).status).toBe(200);
    await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === second.event.ts);
    const prompts = createdSessions().map((r) => String(r.body.prompt));
    expect(prompts).toEqual([
      `Alice (@alice, U1) via Slack: fix the build\n\nAsked in Slack: https://acme.slack.com/archives/C1/p${first.event.ts.replace('.', '')}`,
      `Alice (@alice, U1) via Slack: fix the build\n\nAsked in Slack: https://acme.slack.com/archives/C1/p${second.event.ts.replace('.', '')}`,
    ]);
    expect(h.devin.sessions.size).toBe(2);
  });

  it('puts the earlier messages of an unbound thread into the prompt, once each, and binds that thread', async () => {
    const parentTs = nextTs();
    const secondTs = nextTs();
    const mentionTs = nextTs();
    const mentionText = '<@UBOT> please fix it';
    h.slack.setThread('C1', parentTs, [
      { type: 'message', user: 'U2', text: 'the login test fails on CI since yesterday', ts: parentTs },
      {
        type: 'message',
        user: 'U1',
        text: 'probably the timezone change, <@U2>',
        ts: secondTs,
        thread_ts: parentTs,
      },
      { type: 'message', user: 'U1', text: mentionText, ts: mentionTs, thread_ts: parentTs },
    ]);
    await h.event(appMentionEvent({ text: mentionText, ts: mentionTs, thread_ts: parentTs }));

    await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === parentTs);
    const [created] = createdSessions();
    const prompt: string = created?.body.prompt;
    expect(prompt.startsWith('Alice (@alice, U1) via Slack: please fix it\n')).toBe(true);
    expect(prompt).toContain('Bob (@bob, U2): the login test fails on CI since yesterday');
    expect(prompt).toContain('Alice (@alice, U1): probably the timezone change, @Bob');
    expect(prompt.indexOf('the login test fails')).toBeLessThan(prompt.indexOf('timezone change'));
    expect(prompt.split('please fix it')).toHaveLength(2);

    const session = sessionFor(prompt);
    await h.event(threadReply(parentTs, mentionText, { ts: mentionTs }));
    await h.event(threadReply(parentTs, 'the failing job is e2e-login'));
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: the failing job is e2e-login',
    ]);
    await h.idle();
    expect(h.devin.delivered(session.session_id)).toHaveLength(1);
  });

  it('relays a mention inside a bound thread to its session without starting another one', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const mention = appMentionEvent({ text: '<@UBOT> also update the docs', thread_ts: threadTs });
    await h.event(mention);
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([
      'Alice (@alice, U1) via Slack: also update the docs',
    ]);

    await h.event(threadReply(threadTs, '<@UBOT> also update the docs', { ts: mention.event.ts }));
    await h.event(threadReply(threadTs, 'and the changelog'));
    expect(await h.devin.waitForDelivered(sessionId, 2)).toEqual([
      'Alice (@alice, U1) via Slack: also update the docs',
      'Alice (@alice, U1) via Slack: and the changelog',
    ]);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toHaveLength(2);
    expect(createdSessions()).toEqual([]);
  });

  // Found by the payload fuzz: an aside that mentioned the app reached Devin (as app_mention, though not as message).
  it('keeps an aside that mentions the app from Devin, in a bound thread or not, as both of its events', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const aside = appMentionEvent({ text: '(aside) <@UBOT> is this thing on?', thread_ts: threadTs });
    await h.event(aside);
    await h.event(threadReply(threadTs, '(aside) <@UBOT> is this thing on?', { ts: aside.event.ts }));
    await h.event(appMentionEvent({ text: '!aside <@UBOT> do not start anything' }));
    await h.event(threadReply(threadTs, 'not an aside'));

    expect((await h.devin.waitForDelivered(sessionId, 1)).map(relayedWords)).toEqual(['not an aside']);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toHaveLength(1);
    expect(createdSessions()).toEqual([]);
  });

  it('asks for a task in the thread when the mention has none, and starts nothing', async () => {
    const bare = appMentionEvent({ text: '<@UBOT>' });
    await h.event(bare);
    const ask = await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === bare.event.ts);
    expect(ask.text).toMatch(/^Mention me with a task/);

    const next = appMentionEvent({ text: '<@UBOT> add a health check' });
    await h.event(next);
    await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === next.event.ts);
    expect(createdSessions().map((r) => withoutOrigin(r.body.prompt))).toEqual([
      'Alice (@alice, U1) via Slack: add a health check',
    ]);
  });

  it('tells the thread in one sentence when Devin refuses to start the session', async () => {
    h.devin.script('POST', '/v1/sessions', [{ status: 403, body: { detail: 'not allowed' } }]);
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    await h.event(mention);
    const told = await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mention.event.ts);
    expect(told.text).toMatch(/couldn't start a Devin session/);
    expect(told.text).toMatch(/DEVIN_API_KEY/);
    expect(sentences(told.text)).toBe(1);
    expect(h.devin.sessions.size).toBe(0);
  });

  it('starts one session only when Slack retries the mention event', async () => {
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    const mentionTs: string = mention.event.ts;
    const [first, retry] = await Promise.all([
      h.event(mention),
      h.event(mention, { retryNum: 1, retryReason: 'http_timeout' }),
    ]);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    await h.event(mention, { retryNum: 2, retryReason: 'http_timeout' });

    await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mentionTs);
    const session = sessionFor('Alice (@alice, U1) via Slack: fix the build');
    await h.event(threadReply(mentionTs, 'it broke after the upgrade'));
    await h.devin.waitForDelivered(session.session_id, 1);
    expect(createdSessions()).toHaveLength(1);
    expect(threadPosts(mentionTs)).toHaveLength(1);
  });
});
