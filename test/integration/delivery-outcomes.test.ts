import { BOT_TOKEN, DEVIN_KEY, Harness, SIGNING_SECRET } from '../support/harness';
import { blockAction } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const MESSAGE_PATH = '/v1/sessions/:id/message';
const relayed = (text: string) => `Alice (@alice, U1) via Slack: ${text}`;
const sessionUrl = (sessionId: string) => `https://app.devin.ai/sessions/${sessionId.replace(/^devin-/, '')}`;

const reply = (threadTs: string, text: string) => h.reply(threadTs, text);
const reactions = (ts: string) => h.reactions(ts);
const waitForReaction = (ts: string, name: string) => h.waitForReaction(ts, name);

/** Notices posted in the thread (not the thread's root message). */
function notices(threadTs: string) {
  return h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === threadTs);
}

function resendButton(args: { blocks?: unknown }) {
  const blocks = (args.blocks ?? []) as Array<{ type: string; elements?: Array<Record<string, unknown>> }>;
  return blocks.find((b) => b.type === 'actions')?.elements?.find((e) => e.action_id === 'resend_held');
}

function clickResend(sessionId: string, threadTs: string, noticeTs: string, name: string) {
  return h.action(
    blockAction({
      actions: [{ value: sessionId }],
      container: { channel_id: 'C1', thread_ts: threadTs, message_ts: noticeTs },
      message: { thread_ts: threadTs },
      response_url: h.slack.responseUrl(name),
    }),
  );
}

describe('successful answers', () => {
  it('marks a reply delivered when Devin answers 200 null', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const ts = await reply(threadTs, 'add a retry to the importer');
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([relayed('add a retry to the importer')]);
    await waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(reactions(ts)).toEqual(['+white_check_mark']);
    expect(notices(threadTs)).toHaveLength(0);
  });

  it('marks a reply delivered when Devin answers 204 without a body', async () => {
    h.devin.noContent = true;
    const { sessionId, threadTs } = await h.linkedThread();
    const ts = await reply(threadTs, 'ship it');
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([relayed('ship it')]);
    await waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(reactions(ts)).toEqual(['+white_check_mark']);
  });
});

describe('a paused session', () => {
  it('posts one paused notice while the session stays asleep and Resend delivers the held replies in order', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId, 'Session is suspended');

    const first = await reply(threadTs, 'first');
    await waitForReaction(first, 'double_vertical_bar');
    await h.idle();
    const [notice] = notices(threadTs);
    expect(notice?.args.text).toContain('Session is suspended');
    expect(notice?.args.text).toContain(sessionUrl(sessionId));
    expect(resendButton(notice?.args ?? {})).toMatchObject({ value: sessionId });
    const noticeTs = String(notice?.answer?.ts);

    const second = await reply(threadTs, 'second');
    await waitForReaction(second, 'double_vertical_bar');
    const third = await reply(threadTs, 'third');
    await waitForReaction(third, 'double_vertical_bar');
    await h.idle();
    expect(notices(threadTs)).toHaveLength(1);
    const updates = h.slack.callsTo('chat.update').filter((a) => a.ts === noticeTs);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates.at(-1)?.text).toContain('3 messages');
    expect(resendButton(updates.at(-1) ?? {})).toMatchObject({ value: sessionId });
    expect(h.devin.delivered(sessionId)).toEqual([]);

    h.devin.resume(sessionId);
    await clickResend(sessionId, threadTs, noticeTs, 'resend');
    expect(await h.devin.waitForDelivered(sessionId, 3)).toEqual([
      relayed('first'),
      relayed('second'),
      relayed('third'),
    ]);
    const answer = await h.slack.waitForResponse((r) => r.name === 'resend');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.body.text).toContain('Delivered 3');
    await h.idle();
    for (const ts of [first, second, third]) {
      expect(reactions(ts)).toEqual(['+double_vertical_bar', '-double_vertical_bar', '+white_check_mark']);
    }
    const closing = h.slack
      .callsTo('chat.update')
      .filter((a) => a.ts === noticeTs)
      .at(-1);
    expect(closing?.text).toContain('Delivered 3 held messages');
    expect(resendButton(closing ?? {})).toBeUndefined();
    expect(notices(threadTs)).toHaveLength(1);
    expect(h.devin.delivered(sessionId)).toHaveLength(3);
  });

  it('keeps the replies held and says so when Resend is pressed while the session is still asleep', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    const first = await reply(threadTs, 'one');
    await waitForReaction(first, 'double_vertical_bar');
    await h.idle();
    const noticeTs = String(notices(threadTs)[0]?.answer?.ts);

    await clickResend(sessionId, threadTs, noticeTs, 'too-early');
    const early = await h.slack.waitForResponse((r) => r.name === 'too-early');
    expect(early.body.text).toContain('1 still held');
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([]);
    expect(notices(threadTs)).toHaveLength(1);

    h.devin.resume(sessionId);
    await clickResend(sessionId, threadTs, noticeTs, 'awake');
    expect((await h.slack.waitForResponse((r) => r.name === 'awake')).body.text).toContain('Delivered 1');
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([relayed('one')]);
    expect(reactions(first).at(-1)).toBe('+white_check_mark');
  });

  it('delivers the held replies first, then the new one, when someone replies after the session woke up', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    const first = await reply(threadTs, 'held one');
    await waitForReaction(first, 'double_vertical_bar');
    const second = await reply(threadTs, 'held two');
    await waitForReaction(second, 'double_vertical_bar');

    h.devin.resume(sessionId);
    const third = await reply(threadTs, 'fresh');
    expect(await h.devin.waitForDelivered(sessionId, 3)).toEqual([
      relayed('held one'),
      relayed('held two'),
      relayed('fresh'),
    ]);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toHaveLength(3);
    for (const ts of [first, second, third]) expect(reactions(ts).at(-1)).toBe('+white_check_mark');
    expect(reactions(third)).toEqual(['+white_check_mark']);
  });
});

describe('refusals', () => {
  it('tells the thread the session no longer exists on 404 and does not retry', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.sessions.delete(sessionId);
    const ts = await reply(threadTs, 'are you there?');
    await waitForReaction(ts, 'x');
    await h.idle();
    const [notice] = notices(threadTs);
    expect(notice?.args.text).toContain('no longer exists');
    expect(notice?.args.text).toContain(sessionUrl(sessionId));
    expect(h.devin.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/message'))).toHaveLength(1);
    expect(h.clock.sleeps).toEqual([]);
    expect(reactions(ts)).toEqual(['+x']);
  });

  it.each([401, 403])('tells the thread the app is misconfigured on %i without leaking any secret', async (status) => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [{ status, body: { detail: 'Invalid API key' } }]);
    const ts = await reply(threadTs, 'deploy please');
    await waitForReaction(ts, 'warning');
    await h.idle();
    const [notice] = notices(threadTs);
    expect(notice?.args.text).toContain('DEVIN_API_KEY');
    expect(resendButton(notice?.args ?? {})).toMatchObject({ value: sessionId });
    expect(h.devin.delivered(sessionId)).toEqual([]);
    const errors = h.logs.map((line) => JSON.parse(line)).filter((l) => l.level >= 50);
    expect(errors.some((l) => String(l.msg).includes('DEVIN_API_KEY'))).toBe(true);

    // The bot token authenticates Bolt's own auth.test (`token` argument); it must appear nowhere else.
    const sent = h.slack.calls.map(({ args }) =>
      JSON.stringify(args.token === BOT_TOKEN ? { ...args, token: 0 } : args),
    );
    const everything = [...h.logs, ...sent, ...h.slack.responses.map((r) => JSON.stringify(r.body))];
    for (const secret of [DEVIN_KEY, BOT_TOKEN, SIGNING_SECRET]) {
      expect(everything.filter((text) => text.includes(secret))).toEqual([]);
    }
  });

  it('says Devin rejected a reply on 422 and still delivers the next one', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [{ status: 422, body: { detail: [{ msg: 'message is too long' }] } }]);
    const rejected = await reply(threadTs, 'a very long message');
    await waitForReaction(rejected, 'warning');
    const next = await reply(threadTs, 'shorter');
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([relayed('shorter')]);
    await waitForReaction(next, 'white_check_mark');
    await h.idle();
    const [notice] = notices(threadTs);
    expect(notice?.args.text).toContain("Devin's API rejected that message");
    expect(notice?.args.text).toContain('message is too long');
    expect(h.devin.delivered(sessionId)).toEqual([relayed('shorter')]);
    expect(h.clock.sleeps).toEqual([]);
  });
});
