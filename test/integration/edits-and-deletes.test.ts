import { Harness } from '../support/harness';
import { type Json, replyDeleted, replyEdited, threadReply } from '../support/slack-signing';

let h: Harness;
afterEach(() => h.close());

const MESSAGE_PATH = '/v1/sessions/:id/message';

const deleted = (threadTs: string, ts: string, user = 'U1', text = 'gone') =>
  replyDeleted(threadTs, ts, { user }, text);
const edited = (threadTs: string, ts: string, before: string, after: string, user = 'U1') =>
  replyEdited(threadTs, ts, before, after, { user });

async function send(payload: Json): Promise<void> {
  expect((await h.event(payload)).status).toBe(200);
  await h.idle();
}

async function reply(threadTs: string, text: string, user = 'U1'): Promise<string> {
  const payload = threadReply(threadTs, text, { user });
  await send(payload);
  return String(payload.event.ts);
}

const words = (sessionId: string) => h.devin.delivered(sessionId).map((t) => t.split(' via Slack: ')[1]);
const toldPrivately = (user: string) =>
  h.slack
    .callsTo('chat.postEphemeral')
    .filter((args) => args.user === user)
    .map((args) => String(args.text));
/** The texts the thread's trouble notice showed, in order (posted, then edited in place). */
const noticeTexts = (threadTs: string) =>
  h.slack.calls
    .filter(
      (c) =>
        (c.method === 'chat.postMessage' && c.args.thread_ts === threadTs) ||
        (c.method === 'chat.update' && c.args.ts !== threadTs),
    )
    .map((c) => String(c.args.text));

describe('a reply deleted in Slack before it reached Devin', () => {
  it('never reaches Devin, and the held notice counts one less, then says nothing waits', async () => {
    h = await Harness.start();
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    const first = await reply(threadTs, 'first, then deleted');
    const second = await reply(threadTs, 'second, kept');
    const third = await reply(threadTs, 'third, deleted too');

    await send(deleted(threadTs, first));
    await send(deleted(threadTs, first));
    expect(noticeTexts(threadTs).at(-1)).toMatch(/^:double_vertical_bar: .* 2 messages from this thread were not/);
    h.devin.resume(sessionId);
    await send(deleted(threadTs, third));
    await h.resend(sessionId, threadTs);
    expect(words(sessionId)).toEqual(['second, kept']);

    h.devin.pause(sessionId);
    const fourth = await reply(threadTs, 'fourth, deleted');
    await send(deleted(threadTs, fourth));
    expect(noticeTexts(threadTs).at(-1)).toMatch(/^:wastebasket: The held messages were deleted in Slack/);
    h.devin.resume(sessionId);
    await h.resend(sessionId, threadTs);
    expect(words(sessionId)).toEqual(['second, kept']);
    expect(h.reactions(second)).toContain('+white_check_mark');
    const outcomes = h.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'reply withdrawn');
    expect(outcomes).toHaveLength(3);
    expect(toldPrivately('U1')).toEqual([]);
  });

  it('is never sent again once deleted while a request with it was out, and its author hears Devin may have it', async () => {
    h = await Harness.start({ env: { DEVIN_REQUEST_TIMEOUT_MS: '300' } });
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.hangNext('POST', MESSAGE_PATH);
    const payload = threadReply(threadTs, 'sent, then deleted');
    expect((await h.event(payload)).status).toBe(200);
    await h.devin.waitForRequest('POST', MESSAGE_PATH);
    await send(deleted(threadTs, String(payload.event.ts)));
    await h.idle();

    expect(h.devin.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/message'))).toHaveLength(1);
    expect(h.devin.delivered(sessionId)).toEqual([]);
    expect(toldPrivately('U1')).toEqual([expect.stringMatching(/^:pencil2: Devin may already have your original/)]);
  });
});

describe('a reply edited in Slack', () => {
  it('before it reached Devin: Devin gets the new words, once', async () => {
    h = await Harness.start();
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    const ts = await reply(threadTs, 'fix teh bug');
    await send(edited(threadTs, ts, 'fix teh bug', 'fix the bug'));
    await send(edited(threadTs, ts, 'fix the bug', 'fix the bug <https://example.com>'));
    // An edit that leaves the words as they were (Slack unfurled a link) is none.
    await send(edited(threadTs, ts, 'fix the bug <https://example.com>', 'fix the bug <https://example.com>'));
    h.devin.resume(sessionId);
    await h.resend(sessionId, threadTs);

    expect(words(sessionId)).toEqual(['fix the bug https://example.com']);
    expect(toldPrivately('U1')).toEqual([]);
  });

  it('into an aside before it reached Devin: it never reaches Devin', async () => {
    h = await Harness.start();
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    const ts = await reply(threadTs, 'ship it');
    await send(edited(threadTs, ts, 'ship it', '(aside) ship it, but not yet'));
    h.devin.resume(sessionId);
    await h.resend(sessionId, threadTs);
    expect(words(sessionId)).toEqual([]);
  });

  it('after it reached Devin: nothing is relayed, and its author is told privately, once, how to correct it', async () => {
    h = await Harness.start();
    const { sessionId, threadTs } = await h.linkedThread();
    const ts = await reply(threadTs, 'use postgres 14');
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();

    await send(edited(threadTs, ts, 'use postgres 14', 'use postgres 16'));
    await send(edited(threadTs, ts, 'use postgres 16', 'use postgres 17'));
    await send(deleted(threadTs, ts, 'U1', 'use postgres 17'));

    expect(words(sessionId)).toEqual(['use postgres 14']);
    expect(toldPrivately('U1')).toEqual([
      expect.stringMatching(
        /^:pencil2: Devin already has your original message, so your edit was not sent\. To correct/,
      ),
    ]);
    // A message that never reached Devin (an aside) is not talked about when it changes.
    const aside = await reply(threadTs, '(aside) lunch?', 'U2');
    await send(edited(threadTs, aside, '(aside) lunch?', 'lunch now?', 'U2'));
    await send(deleted(threadTs, aside, 'U2'));
    expect(toldPrivately('U2')).toEqual([]);
    expect(words(sessionId)).toEqual(['use postgres 14']);
  });
});
