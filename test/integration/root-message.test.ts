import { Harness } from '../support/harness';
import { appMentionEvent, blockAction, type Json } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.close();
});

const LONG_MS = 10 * 60_000;
/** The action ids of a message's buttons, in order. */
const actionIds = (args: Json | undefined): string[] =>
  ((args?.blocks ?? []) as Json[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Json[]).map((e) => String(e.action_id)));

describe('the root message', () => {
  it('posted by /devin link is Block Kit with the title, status, Open in Devin and End session', async () => {
    const session = h.devin.addSession({ title: 'Fix the login test' });
    const threadTs = await h.linkSession(session.session_id);
    const root = h.slack.calls.find((c) => c.method === 'chat.postMessage' && c.answer?.ts === threadTs)?.args;
    expect(root?.text).toContain('*Status:* :large_green_circle: working');
    expect(root?.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Fix the login test' } });
    expect(actionIds(root)).toEqual(['open_in_devin', 'end_session']);
    const open = root?.blocks.at(-1).elements[0];
    expect(open.url).toBe(session.url);
  });

  it('posted by /devin new and by a mention gets the buttons once the session is started', async () => {
    await h.command('new fix the flaky login test');
    await h.idle();
    const rootTs = h.slack.calls.find((c) => c.method === 'chat.postMessage' && !c.args.thread_ts)?.answer?.ts;
    const started = await h.slack.waitFor('chat.update', (a) => a.ts === rootTs);
    expect(actionIds(started)).toEqual(['open_in_devin', 'end_session']);

    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    await h.event(mention);
    const answer = await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mention.event.ts);
    expect(answer.text).toMatch(/\*Status:\* :large_green_circle: working$/);
    expect(actionIds(answer)).toEqual(['open_in_devin', 'end_session']);
  });

  it('is updated in place, and loses End session once the session has finished', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const session = h.devin.sessions.get(sessionId);
    if (!session) throw new Error('no session');
    session.status_enum = 'blocked';
    await h.poll(LONG_MS);
    const updates = () => h.slack.callsTo('chat.update').filter((a) => a.ts === threadTs);
    expect(actionIds(updates().at(-1))).toEqual(['open_in_devin', 'end_session']);
    Object.assign(session, { status_enum: 'finished', status: 'exit' });
    await h.poll(LONG_MS);
    expect(updates().at(-1)?.text).toContain(':checkered_flag: finished');
    expect(actionIds(updates().at(-1))).toEqual(['open_in_devin']);
  });

  it('acknowledges a press of Open in Devin and does nothing else', async () => {
    const { sessionId } = await h.linkedThread();
    const before = h.slack.calls.length;
    const res = await h.action(
      blockAction({ actions: [{ action_id: 'open_in_devin', value: undefined, url: 'https://app.devin.ai/x' }] }),
    );
    expect(res.status).toBe(200);
    await h.idle();
    expect(h.slack.calls.slice(before).map((c) => c.method)).toEqual([]);
    expect(
      h.devin.requests.filter((r) => r.method !== 'GET' || !(r.path.endsWith(sessionId) || r.path === '/v1/sessions')),
    ).toEqual([]);
  });
});

describe('the reaction on the root message when the session ends', () => {
  const ended = async (change: Record<string, unknown>, devinSaysLast = false) => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    if (devinSaysLast) h.devin.say(sessionId, 'summary-1', 'Done: the login test is fixed.');
    Object.assign(h.devin.sessions.get(sessionId) ?? {}, change);
    await h.poll(LONG_MS);
    return { sessionId, threadTs };
  };

  it('is :white_check_mark: when it finished with a pull request', async () => {
    const { threadTs } = await ended({
      status_enum: 'finished',
      pull_request: { url: 'https://github.com/a/b/pull/1' },
    });
    expect(h.reactions(threadTs)).toEqual(['+white_check_mark']);
  });

  it('is :white_check_mark: when it finished with a summary from Devin', async () => {
    const { threadTs } = await ended({ status_enum: 'finished' }, true);
    expect(h.reactions(threadTs)).toEqual(['+white_check_mark']);
  });

  it('is none when it finished with neither', async () => {
    const { threadTs } = await ended({ status_enum: 'finished' });
    expect(h.reactions(threadTs)).toEqual([]);
  });

  it.each([
    ['expired', { status_enum: 'expired', status: 'expired' }],
    ['ended with an error', { status_enum: null, status: 'error' }],
  ])('is :x: when it %s', async (_, change) => {
    const { threadTs } = await ended(change);
    expect(h.reactions(threadTs)).toEqual(['+x']);
    expect(
      h.slack
        .callsTo('chat.update')
        .filter((a) => a.ts === threadTs)
        .at(-1)?.text,
    ).toMatch(/expired|error/);
  });

  it('is added once, even when the session ends again after a reply woke it', async () => {
    const { sessionId, threadTs } = await ended({ status_enum: 'finished' }, true);
    await h.reply(threadTs, 'one more thing');
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    Object.assign(h.devin.sessions.get(sessionId) ?? {}, { status_enum: 'working', status: 'running' });
    await h.poll(LONG_MS);
    h.devin.say(sessionId, 'summary-2', 'Done again.');
    Object.assign(h.devin.sessions.get(sessionId) ?? {}, { status_enum: 'finished' });
    await h.poll(LONG_MS);
    expect(h.reactions(threadTs)).toEqual(['+white_check_mark']);
  });

  it('is added once when Slack answers that the reaction is already there', async () => {
    h.slack.failNext('reactions.add', { body: { ok: false, error: 'already_reacted' } });
    const { threadTs } = await ended({ status_enum: 'expired' });
    expect(h.reactions(threadTs)).toEqual(['+x']);
    expect(h.logs.filter((l) => l.includes('Slack feedback dropped'))).toEqual([]);
  });
});
