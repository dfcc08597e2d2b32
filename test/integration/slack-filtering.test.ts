import { Harness } from '../support/harness';
import { fixtureEvent, type Json, messageEvent, nextTs, threadReply } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

/** Slack calls that speak in the channel: posts, ephemerals and reactions. */
const speaking = (from: number) =>
  h.slack.calls
    .slice(from)
    .filter((c) => ['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'reactions.add'].includes(c.method));

describe('messages that are not relayed', () => {
  it.each<[string, (threadTs: string) => Json]>([
    ['a bot_message in the bound thread', (threadTs) => fixtureEvent('bot-message', { thread_ts: threadTs })],
    ['a reply carrying a bot_id', (threadTs) => threadReply(threadTs, 'automated note', { bot_id: 'B0CI' })],
    [
      'an edit of a reply in the bound thread',
      (threadTs) => {
        const changed = fixtureEvent('message-changed');
        changed.event.message.thread_ts = threadTs;
        changed.event.message.ts = nextTs();
        changed.event.previous_message.thread_ts = threadTs;
        return changed;
      },
    ],
    [
      'a deletion of a reply in the bound thread',
      (threadTs) => {
        const deleted = fixtureEvent('message-deleted');
        deleted.event.previous_message.thread_ts = threadTs;
        return deleted;
      },
    ],
    ['a channel join', () => fixtureEvent('channel-join')],
    ['a top-level channel message', () => messageEvent({ text: 'unrelated chatter' })],
    ['a reply in a thread that is not bound', () => threadReply(nextTs(), 'talking elsewhere')],
    ['a reply starting with (aside)', (threadTs) => threadReply(threadTs, '(aside) lunch?')],
    ['a reply starting with !aside', (threadTs) => threadReply(threadTs, '!aside did you see this?')],
    ['a reply starting with (ASIDE) after spaces', (threadTs) => threadReply(threadTs, '  (ASIDE) shouting')],
    ['a reply starting with !Aside', (threadTs) => threadReply(threadTs, '!Aside mixed case')],
  ])('ignores %s silently', async (_, build) => {
    const { sessionId, threadTs } = await h.linkedThread();
    const since = h.slack.calls.length;
    const ignored = build(threadTs);

    expect((await h.event(ignored)).status).toBe(200);
    const later = threadReply(threadTs, 'this one counts');
    await h.event(later);

    await h.devin.waitForDelivered(sessionId, 1);
    await h.slack.waitFor('reactions.add', (r) => r.timestamp === later.event.ts);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: this one counts']);
    expect(h.devin.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(speaking(since).map((c) => [c.method, c.args.timestamp])).toEqual([['reactions.add', later.event.ts]]);
  });
});

describe('messages that are relayed', () => {
  it('relays a file_share reply with its text and its files as ATTACHMENT: lines', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const share = fixtureEvent('file-share', { thread_ts: threadTs });
    // Slack's file objects as recorded, served by the fake Slack.
    const trace = h.slack.addFile({ name: 'trace.txt', content: 'Error: boom', mimetype: 'text/plain' });
    const shot = h.slack.addFile({ name: 'screenshot.png', size: 2048, mimetype: 'image/png' });
    share.event.files = [
      { ...share.event.files[0], ...trace },
      { ...share.event.files[0], ...shot, title: 'Screenshot' },
    ];

    expect((await h.event(share)).status).toBe(200);

    const [text] = await h.devin.waitForDelivered(sessionId, 1);
    const [first, second] = h.devin.uploads;
    expect([first?.name, second?.name]).toEqual(['trace.txt', 'screenshot.png']);
    expect(text).toBe(
      `Alice (@alice, U1) via Slack: Here is the stack trace\nATTACHMENT:"${first?.url}"\nATTACHMENT:"${second?.url}"`,
    );
    const receipt = await h.slack.waitFor('reactions.add', (r) => r.timestamp === share.event.ts);
    expect(receipt.name).toBe('white_check_mark');
  });

  it('relays a reply that was also sent to the channel (thread_broadcast)', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const broadcast = threadReply(threadTs, 'shipping this today, everyone', {
      subtype: 'thread_broadcast',
      client_msg_id: undefined,
      root: { type: 'message', user: 'UBOT', bot_id: 'BBOT', text: 'linked', ts: threadTs, thread_ts: threadTs },
    });

    expect((await h.event(broadcast)).status).toBe(200);

    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([
      'Alice (@alice, U1) via Slack: shipping this today, everyone',
    ]);
  });
});

describe('readable text', () => {
  it('turns mentions, channels, links and entities into readable words and names the author', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const text =
      'ask <@U1> and <@U2> in <#C1|general> or <#C1>, see <https://x.y|label> and <https://x.y/plain>: ' +
      'a &amp; b &lt;tag&gt;';

    await h.event(threadReply(threadTs, text, { user: 'U2' }));

    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([
      'Bob (@bob, U2) via Slack: ask @Alice and @Bob in #general or #general, see label (https://x.y) and https://x.y/plain: ' +
        'a & b <tag>',
    ]);
  });

  it('prefixes the text with the display name of its author', async () => {
    const { sessionId, threadTs } = await h.linkedThread();

    await h.event(threadReply(threadTs, 'first'));
    await h.event(threadReply(threadTs, 'second', { user: 'U2' }));

    expect(await h.devin.waitForDelivered(sessionId, 2)).toEqual([
      'Alice (@alice, U1) via Slack: first',
      'Bob (@bob, U2) via Slack: second',
    ]);
  });
});

describe('long messages', () => {
  it('delivers a 40,000-character reply intact and adds the receipt reaction', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    let text = '';
    for (let i = 0; text.length < 40_000; i += 1) text += `line ${i} of a very long stack trace; `;
    text = `${text.slice(0, 39_999)}.`;
    const reply = threadReply(threadTs, text);

    expect((await h.event(reply)).status).toBe(200);

    const [delivered] = await h.devin.waitForDelivered(sessionId, 1);
    expect(delivered).toHaveLength('Alice (@alice, U1) via Slack: '.length + 40_000);
    expect(delivered).toBe(`Alice (@alice, U1) via Slack: ${text}`);
    const receipt = await h.slack.waitFor('reactions.add', (r) => r.timestamp === reply.event.ts);
    expect(receipt).toMatchObject({ channel: 'C1', name: 'white_check_mark' });
  });
});
