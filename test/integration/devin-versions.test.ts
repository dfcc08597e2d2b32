import { Readable } from 'node:stream';
import { createDevinApi } from '../../src/devin/create-devin-api';
import { STATE_LABEL } from '../../src/slack/views/state-label';
import type { FakeSession } from '../support/fake-devin';
import { Harness } from '../support/harness';
import { withoutOrigin } from '../support/prompts';
import { appMentionEvent } from '../support/slack-signing';

/** The behaviours people rely on, run against Devin's API v1 and its organization API v3. */
describe.each(['v1', 'v3'] as const)("against Devin's API %s", (version) => {
  let h: Harness;
  let restarted: Harness | undefined;
  beforeEach(async () => {
    h = await Harness.start({ devinVersion: version, env: { DEVIN_MAX_ACU_LIMIT: '40' } });
  });
  afterEach(async () => {
    await restarted?.close();
    restarted = undefined;
    await h.close();
  });

  const POLL_MS = 5000;
  const LONG_MS = 10 * 60_000;
  const SESSIONS = version === 'v1' ? '/v1/sessions' : '/v3/organizations/org-test/sessions';
  const relayed = (text: string) => `Alice (@alice, U1) via Slack: ${text}`;
  const creates = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path === SESSIONS);
  const session = (id: string): FakeSession => h.devin.mustGet(id);
  /** Texts the app posted in the thread, in order (notices included). */
  const posted = (threadTs: string) => h.posted(threadTs);
  const rootUpdates = (threadTs: string) => h.rootUpdates(threadTs);

  it('starts a session from a mention with the ACU limit, answers in its thread with the link, and relays replies', async () => {
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    const mentionTs: string = mention.event.ts;
    expect((await h.event(mention)).status).toBe(200);
    const answer = await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mentionTs);
    expect(creates()).toHaveLength(1);
    const body = creates()[0]?.body;
    expect(withoutOrigin(body.prompt)).toBe(relayed('fix the build'));
    expect(body.max_acu_limit).toBe(40);
    const created = [...h.devin.sessions.values()].find((s) => s.messages[0]?.message === body.prompt);
    if (!created) throw new Error('no session was created');
    expect(answer.text).toMatch(/^:rocket: Started/);
    expect(answer.text).toContain(`<${created.url}|`);

    const ts = await h.reply(mentionTs, 'it broke after the upgrade');
    expect(await h.devin.waitForDelivered(created.session_id, 1)).toEqual([relayed('it broke after the upgrade')]);
    await h.waitForReaction(ts, 'white_check_mark');
    // The prompt is in the session's list too: it is not posted back into the thread.
    await h.poll(POLL_MS);
    h.devin.say(created.session_id, 'd1', 'On it.');
    await h.poll(POLL_MS);
    expect(posted(mentionTs).slice(1)).toEqual(['On it.']);
  });

  it('links a session, posting only what Devin writes after the link, once and in order', async () => {
    const before = new Date().toISOString();
    const existing = h.devin.addSession({
      messages: [
        { type: 'initial_user_message', event_id: 'old-0', message: 'fix the parser', timestamp: before },
        { type: 'devin_message', event_id: 'old-1', message: 'Said before the link', timestamp: before },
        { type: 'user_message', event_id: 'old-2', message: 'web app words before the link', timestamp: before },
      ],
    });
    const id = existing.session_id;
    const threadTs = await h.linkSession(id);
    await h.poll(0);
    h.devin.say(id, 'd1', 'First');
    h.devin.say(id, 'd2', 'Second');
    await h.poll(POLL_MS);
    await h.poll(POLL_MS);
    h.devin.say(id, 'd3', 'Third');
    await h.poll(POLL_MS);
    for (let i = 4; i <= 450; i += 1) h.devin.say(id, `d${i}`, `Message ${i}`);
    await h.poll(POLL_MS);
    await h.poll(POLL_MS);

    const expected = ['First', 'Second', 'Third', ...Array.from({ length: 447 }, (_, i) => `Message ${i + 4}`)];
    expect(posted(threadTs)).toEqual(expected);
  }, 60_000);

  it('relays a reply with its author and a receipt, and does not echo it back, but shows words from the web app', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    const ts = await h.reply(threadTs, 'please add *tests* for it');
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([relayed('please add *tests* for it')]);
    await h.waitForReaction(ts, 'white_check_mark');
    await h.poll(POLL_MS);
    session(sessionId).messages.push({
      type: 'user_message',
      event_id: 'web-1',
      message: 'also bump the version',
      timestamp: new Date().toISOString(),
      ...(version === 'v1' ? { username: 'carol' } : {}),
    });
    h.devin.say(sessionId, 'd1', 'Will do both.');
    await h.poll(POLL_MS);
    await h.poll(POLL_MS);

    // v3's message list names no author: a person's words are shown as someone's.
    const who = version === 'v1' ? 'carol' : 'Someone';
    expect(posted(threadTs)).toEqual([`*${who}* wrote in Devin:\nalso bump the version`, 'Will do both.']);
  });

  it('says one message from anywhere with /devin say, and answers that it was delivered', async () => {
    const { sessionId } = await h.linkedThread();
    await h.command(`say ${sessionId} hello from the channel`, { response_url: h.slack.responseUrl('say') });
    const answer = await h.slack.waitForResponse((r) => r.name === 'say');
    expect(answer.body.text).toMatch(/^:white_check_mark: Delivered to/);
    expect(h.devin.delivered(sessionId)).toEqual([relayed('hello from the channel')]);
  });

  it('shows each state on the root message and tells the thread of the ones that need people', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const header = String(h.slack.callsTo('chat.postMessage')[0]?.text).split('\n*Status:*')[0];
    const cost = version === 'v3' ? ' · 0 ACUs' : '';
    for (const state of ['working', 'waiting', 'asleep', 'working'] as const) {
      h.devin.setState(sessionId, state);
      await h.poll(LONG_MS);
    }
    h.devin.setState(sessionId, 'finished');
    session(sessionId).pull_request = { url: 'https://github.com/acme/app/pull/7' };
    await h.poll(LONG_MS);

    expect(rootUpdates(threadTs)).toEqual([
      `${header}\n*Status:* ${STATE_LABEL.working}${cost}`,
      `${header}\n*Status:* ${STATE_LABEL.waiting}${cost}`,
      `${header}\n*Status:* ${STATE_LABEL.asleep}${cost}`,
      `${header}\n*Status:* ${STATE_LABEL.working}${cost}`,
      `${header}\n*Status:* ${STATE_LABEL.finished} · <https://github.com/acme/app/pull/7|pull request>${cost}`,
    ]);
    const posts = posted(threadTs);
    expect(posts).toHaveLength(3);
    expect(posts[0]).toContain('waiting for your reply');
    expect(posts[1]).toContain(version === 'v3' ? 'A reply here wakes it.' : 'Replies here are held');
    expect(posts[2]).toContain('Devin finished');
    expect(posts[2]).toContain('Pull request: <https://github.com/acme/app/pull/7>');
  });

  it('keeps its place in the conversation across a restart: nothing posted twice, nothing skipped', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    h.devin.say(sessionId, 'a', 'Message A');
    h.devin.say(sessionId, 'b', 'Message B');
    await h.poll(POLL_MS);
    await h.stopApp();
    h.devin.say(sessionId, 'c', 'Message C');
    h.devin.say(sessionId, 'd', 'Message D');
    restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir });
    await restarted.poll(LONG_MS);
    h.devin.say(sessionId, 'e', 'Message E');
    await restarted.poll(POLL_MS);
    await restarted.poll(POLL_MS);

    expect(posted(threadTs)).toEqual(['Message A', 'Message B', 'Message C', 'Message D', 'Message E']);
  });

  it('after a restart, finds a reply whose answer was lost in the session instead of sending it again', async () => {
    const env = { DEVIN_REQUEST_TIMEOUT_MS: '300' };
    await h.close();
    h = await Harness.start({ devinVersion: version, env });
    const { sessionId, threadTs } = await h.linkedThread();
    const messagePath = version === 'v1' ? '/v1/sessions/:id/message' : `${SESSIONS}/:id/messages`;
    // Devin takes the message, but its answer never comes back in time.
    h.devin.hangNext('POST', messagePath, { thenDeliver: true });
    await h.reply(threadTs, 'sent just before the stop');
    await h.devin.waitForDelivered(sessionId, 1);
    // Devin stamps messages with the real time; the app runs on a virtual clock that starts there too.
    for (const m of session(sessionId).messages) m.timestamp = new Date(h.clock.now()).toISOString();
    await h.stopApp();
    restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir, env });
    await restarted.idle();

    expect(restarted.logs.some((l) => l.includes('reply found in the session after an uncertain attempt'))).toBe(true);
    expect(h.devin.delivered(sessionId)).toEqual([relayed('sent just before the stop')]);
    expect(
      h.devin.requests.filter((r) => r.method === 'POST' && r.body?.message === relayed('sent just before the stop')),
    ).toHaveLength(1);
  });

  it("sends files through the version's own way: ATTACHMENT lines on v1, an upload and attachment_urls on v3", async () => {
    const { sessionId } = await h.linkedThread();
    const devin = createDevinApi(h.config);
    const file = {
      name: 'log "1".txt',
      type: 'text/plain',
      size: 9,
      source: Readable.from([Buffer.from('line one\n')]),
    };
    if (version === 'v1') h.devin.script('POST', '/v1/attachments', [{ body: 'https://files.devin.ai/log.txt' }]);
    const url = await devin.uploadAttachment(file, AbortSignal.timeout(5000));
    expect(await devin.sendMessage(sessionId, 'see the log', { attachmentUrls: [url] })).toEqual({ kind: 'delivered' });

    const upload = h.devin.requests.find((r) => r.method === 'POST' && r.path.endsWith('/attachments'));
    expect(String(upload?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    if (version === 'v1') {
      expect(url).toBe('https://files.devin.ai/log.txt');
      expect(h.devin.delivered(sessionId)).toEqual(['see the log\nATTACHMENT:"https://files.devin.ai/log.txt"']);
    } else {
      const [stored] = h.devin.v3?.attachments ?? [];
      expect(stored).toMatchObject({ name: 'log %221%22.txt', contentType: 'text/plain', url });
      expect(stored?.content.toString()).toBe('line one\n');
      expect(h.devin.delivered(sessionId)).toEqual(['see the log']);
      expect(session(sessionId).messages.at(-1)?.attachment_urls).toEqual([url]);
    }
  });
});
