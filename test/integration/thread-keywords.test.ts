import { refusalSentence } from '../../src/relay/access-policy';
import { Harness, type HarnessOptions } from '../support/harness';
import { blockAction, type Json, nextTs, threadReply } from '../support/slack-signing';

let h: Harness;
const start = async (options: HarnessOptions = {}) => {
  h = await Harness.start(options);
};
afterEach(async () => {
  await h.close();
});

const ephemerals = (threadTs: string) => h.slack.callsTo('chat.postEphemeral').filter((a) => a.thread_ts === threadTs);
const messagePosts = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/message'));

describe('EXIT in a bound thread', () => {
  it.each(['EXIT', 'exit', '  Exit  '])(
    'answers %p privately with End session to confirm, and relays nothing',
    async (text) => {
      await start();
      const { sessionId, threadTs } = await h.linkedThread();
      const ts = await h.reply(threadTs, text);
      await h.idle();
      expect(messagePosts()).toEqual([]);
      expect(h.reactions(ts)).toEqual([]);
      const [answer, ...more] = ephemerals(threadTs);
      expect(more).toEqual([]);
      expect(answer).toMatchObject({ channel: 'C1', user: 'U1' });
      expect(answer?.text).toContain('End <https://app.devin.ai/sessions/');
      const button = ((answer?.blocks ?? []) as Json[]).at(-1)?.elements[0];
      expect(button).toMatchObject({
        action_id: 'end_session',
        value: sessionId,
        style: 'danger',
        confirm: { title: { text: 'End this session?' } },
      });
      expect(h.devin.terminatedCount(sessionId)).toBe(0);
    },
  );

  it('ends the session when the End session of its answer is pressed, and replaces that answer', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.reply(threadTs, 'EXIT');
    await h.idle();
    const ephemeralTs = nextTs();
    const press = blockAction({
      container: { message_ts: ephemeralTs, channel_id: 'C1', is_ephemeral: true, thread_ts: threadTs },
      actions: [{ action_id: 'end_session', block_id: 'exit', value: sessionId }],
      response_url: h.slack.responseUrl('exit'),
    });
    // Slack sends no message with a press in an ephemeral one.
    delete press.message;
    await h.action(press);
    const answer = await h.slack.waitForResponse((r) => r.name === 'exit');
    expect(answer.body).toMatchObject({
      replace_original: true,
      text: expect.stringContaining('You ended the session'),
    });
    await h.idle();
    expect(h.devin.terminatedCount(sessionId)).toBe(1);
    expect(
      h.slack
        .callsTo('chat.postMessage')
        .filter((a) => a.thread_ts === threadTs)
        .map((a) => a.text),
    ).toEqual([':black_square_for_stop: Alice ended the session.']);
  });

  it('is answered once when Slack delivers it again', async () => {
    await start();
    const { threadTs } = await h.linkedThread();
    const payload = threadReply(threadTs, 'EXIT');
    await h.event(payload);
    await h.event(payload, { retryNum: 1, retryReason: 'http_timeout' });
    await h.event({ ...payload, event_id: 'Ev-other-copy' });
    await h.idle();
    expect(ephemerals(threadTs)).toHaveLength(1);
    expect(messagePosts()).toEqual([]);
  });

  it('is relayed like any reply when it is not the whole message', async () => {
    await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.reply(threadTs, 'exit the loop when the list is empty');
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([
      'Alice (@alice, U1) via Slack: exit the loop when the list is empty',
    ]);
    await h.idle();
    expect(ephemerals(threadTs)).toEqual([]);
  });

  it('is just a message in a thread that is not bound', async () => {
    await start();
    const threadTs = nextTs();
    expect((await h.event(threadReply(threadTs, 'EXIT'))).status).toBe(200);
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method.startsWith('chat.') || c.method.startsWith('reactions.'))).toEqual([]);
    // Only the readiness check of Devin's key, made at start.
    expect(h.devin.requests.filter((r) => r.path !== '/v1/sessions')).toEqual([]);
  });

  it('is refused, like any reply, to someone who may not steer the thread', async () => {
    await start({ env: { STEER_POLICY: 'starter' } });
    const { sessionId, threadTs } = await h.linkedThread();
    await h.event(threadReply(threadTs, 'EXIT', { user: 'U2' }));
    await h.idle();
    expect(ephemerals(threadTs).map((a) => a.text)).toEqual([`:no_entry: ${refusalSentence('not-a-steerer')}`]);
    expect(h.devin.terminatedCount(sessionId)).toBe(0);
  });
});

describe('help in a bound thread', () => {
  it('answers privately with the words of /devin help, and relays nothing', async () => {
    await start();
    const { threadTs } = await h.linkedThread();
    const ts = await h.reply(threadTs, 'help');
    await h.idle();
    expect(messagePosts()).toEqual([]);
    expect(h.reactions(ts)).toEqual([]);
    const [answer, ...more] = ephemerals(threadTs);
    expect(more).toEqual([]);
    expect(answer?.user).toBe('U1');
    const usage = JSON.parse((await h.command('help')).body).text;
    expect(answer?.text).toBe(usage);
    expect(usage).toContain('`EXIT` ends the session');
  });
});
