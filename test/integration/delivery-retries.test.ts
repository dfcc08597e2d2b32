import { Harness } from '../support/harness';
import { blockAction } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const MESSAGE_PATH = '/v1/sessions/:id/message';
const relayed = (text: string) => `Alice (@alice, U1) via Slack: ${text}`;

const reply = (threadTs: string, text: string) => h.reply(threadTs, text);
const reactions = (ts: string) => h.reactions(ts);
const waitForReaction = (ts: string, name: string) => h.waitForReaction(ts, name);

function messagePosts(sessionId: string) {
  return h.devin.requests.filter((r) => r.method === 'POST' && r.path === `/v1/sessions/${sessionId}/message`);
}

describe('retries', () => {
  it('delivers replies written during a 503 exactly once and in the order they were written', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [{ status: 503, body: { detail: 'busy' }, delayMs: 300 }]);
    const first = await reply(threadTs, 'one');
    await h.devin.waitForRequest('POST', MESSAGE_PATH);
    const second = await reply(threadTs, 'two');
    const third = await reply(threadTs, 'three');

    expect(await h.devin.waitForDelivered(sessionId, 3)).toEqual([relayed('one'), relayed('two'), relayed('three')]);
    for (const ts of [first, second, third]) await waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(h.devin.delivered(sessionId)).toHaveLength(3);
    expect(reactions(first)).toEqual(['+hourglass_flowing_sand', '-hourglass_flowing_sand', '+white_check_mark']);
    expect(h.clock.sleeps.length).toBeGreaterThanOrEqual(1);
    expect(h.clock.sleeps[0]).toBeGreaterThan(0);
  });

  it('waits as long as Retry-After says on 429, shows the hourglass meanwhile, then delivers once', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [
      { status: 429, headers: { 'Retry-After': '7' }, body: { detail: 'Too many requests' } },
    ]);
    const ts = await reply(threadTs, 'slow down');
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([relayed('slow down')]);
    await waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(h.clock.sleeps).toContain(7000);
    expect(h.devin.delivered(sessionId)).toHaveLength(1);
    expect(reactions(ts)).toEqual(['+hourglass_flowing_sand', '-hourglass_flowing_sand', '+white_check_mark']);
  });

  it('posts a failure notice with Resend when retries run out, and Resend delivers the reply once', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script(
      'POST',
      MESSAGE_PATH,
      Array.from({ length: 50 }, () => ({ status: 503 })),
    );
    const ts = await reply(threadTs, 'persist');
    await waitForReaction(ts, 'warning');
    await h.idle();
    const notice = h.slack.calls.find((c) => c.method === 'chat.postMessage' && c.args.thread_ts === threadTs);
    expect(notice?.args.text).toContain('could not be delivered');
    const button = notice?.args.blocks?.find((b: { type: string }) => b.type === 'actions')?.elements?.[0];
    expect(button).toMatchObject({ action_id: 'resend_held', value: sessionId });
    expect(h.clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60_000);
    expect(h.devin.delivered(sessionId)).toEqual([]);
    expect(reactions(ts)).toEqual(['+hourglass_flowing_sand', '-hourglass_flowing_sand', '+warning']);

    h.devin.reset();
    await h.action(
      blockAction({
        actions: [{ value: sessionId }],
        container: { channel_id: 'C1', thread_ts: threadTs, message_ts: String(notice?.answer?.ts) },
        response_url: h.slack.responseUrl('resend'),
      }),
    );
    expect((await h.slack.waitForResponse((r) => r.name === 'resend')).body.text).toContain('Delivered 1');
    await waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([relayed('persist')]);
    expect(reactions(ts).slice(-2)).toEqual(['-warning', '+white_check_mark']);
  });
});

describe('answers that may hide a success', () => {
  it('does not deliver twice when Devin took the message but answered 504', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [{ status: 504, body: 'Gateway Timeout', thenDeliver: true }]);
    const ts = await reply(threadTs, 'only once');
    await waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([relayed('only once')]);
    expect(h.devin.requests.some((r) => r.method === 'GET' && r.path === `/v1/sessions/${sessionId}`)).toBe(true);
  });

  it('does not deliver twice when the request timed out after Devin took the message', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [{ delayMs: 5000, thenDeliver: true }]);
    const ts = await reply(threadTs, 'slow but once');
    await waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([relayed('slow but once')]);
    expect(messagePosts(sessionId)).toHaveLength(1);
  });

  it('treats an unreadable 200 body as uncertain and does not deliver twice', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [{ status: 200, body: 'not json', thenDeliver: true }]);
    const ts = await reply(threadTs, 'garbled answer');
    await waitForReaction(ts, 'white_check_mark');
    const next = await reply(threadTs, 'after it');
    await waitForReaction(next, 'white_check_mark');
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([relayed('garbled answer'), relayed('after it')]);
    expect(messagePosts(sessionId)).toHaveLength(2);
  });
});

describe('independent sessions', () => {
  it('delivers to one session while another is still retrying', async () => {
    const a = await h.linkedThread();
    const b = await h.linkedThread();
    h.devin.script('POST', `/v1/sessions/${a.sessionId}/message`, [
      { status: 503, delayMs: 1000 },
      ...Array.from({ length: 50 }, () => ({ status: 503 })),
    ]);
    const aTs = await reply(a.threadTs, 'for A');
    await h.devin.waitForRequest('POST', `/v1/sessions/${a.sessionId}/message`);
    const bTs = await reply(b.threadTs, 'for B');

    expect(await h.devin.waitForDelivered(b.sessionId, 1)).toEqual([relayed('for B')]);
    await waitForReaction(bTs, 'white_check_mark');
    expect(h.devin.delivered(a.sessionId)).toEqual([]);
    expect(reactions(aTs)).not.toContain('+warning');

    await waitForReaction(aTs, 'warning');
    await h.idle();
    const index = (ts: string, name: string) =>
      h.slack.calls.findIndex((c) => c.method === 'reactions.add' && c.args.timestamp === ts && c.args.name === name);
    expect(index(bTs, 'white_check_mark')).toBeLessThan(index(aTs, 'warning'));
    expect(h.devin.delivered(a.sessionId)).toEqual([]);
    expect(h.devin.delivered(b.sessionId)).toEqual([relayed('for B')]);
  });
});

describe('uncertain attempts', () => {
  it('keeps looking instead of re-sending when the look-up after an uncertain attempt fails', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [{ status: 503, body: { detail: 'lost answer' }, thenDeliver: true }]);
    h.devin.script('GET', '/v1/sessions/:id', [
      { status: 429, headers: { 'Retry-After': '3' }, body: { detail: 'slow down' } },
      { status: 502, body: 'bad gateway' },
    ]);
    const ts = await reply(threadTs, 'only once please');
    await waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([relayed('only once please')]);
    expect(messagePosts(sessionId)).toHaveLength(1);
    expect(h.clock.sleeps).toContain(3000);
  });
});

describe('notices after a pause', () => {
  it('closes the paused notice when a new reply after waking delivers the held one first', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId, 'Session is suspended');
    const held = await reply(threadTs, 'held one');
    const notice = await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === threadTs && /asleep/.test(a.text));
    await waitForReaction(held, 'double_vertical_bar');
    h.devin.resume(sessionId);
    await reply(threadTs, 'new one');
    expect(await h.devin.waitForDelivered(sessionId, 2)).toEqual([relayed('held one'), relayed('new one')]);
    const noticeTs = h.slack.calls.find((c) => c.method === 'chat.postMessage' && c.args === notice)?.answer?.ts;
    const closed = await h.slack.waitFor(
      'chat.update',
      (a) => a.ts === noticeTs && /Delivered 1 held message/.test(a.text),
    );
    expect(closed.text).not.toMatch(/asleep/);
  });
});

describe('Slack rate limits', () => {
  it('waits out a 429 on the receipt reaction and still marks the reply', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.slack.failNext('reactions.add', {
      status: 429,
      headers: { 'retry-after': '4' },
      body: { ok: false, error: 'ratelimited' },
    });
    const ts = await reply(threadTs, 'mark me');
    await h.devin.waitForDelivered(sessionId, 1);
    await waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method === 'reactions.add' && c.args.timestamp === ts)).toHaveLength(2);
    expect(h.clock.sleeps).toContain(4000);
  });
});
