import { Harness } from '../support/harness';
import { type Json, threadReply } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const entries = () => h.logs.map((line) => JSON.parse(line) as Json);
const outcomes = (sessionId: string) =>
  entries().filter((e) => 'outcome' in e && e.msg !== 'audit' && e.session_id === sessionId);
const news = (sessionId: string) => entries().filter((e) => e.msg === 'poll found news' && e.session_id === sessionId);

describe('relay outcome lines', () => {
  it('writes exactly one info line for a delivered reply, with where it came from and how it ended', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const ts = await h.reply(threadTs, 'ship it');
    await h.waitForReaction(ts, 'white_check_mark');
    await h.idle();
    const lines = outcomes(sessionId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual(
      expect.objectContaining({
        level: 30,
        msg: 'reply delivered',
        team_id: 'T1',
        channel_id: 'C1',
        thread_ts: threadTs,
        session_id: sessionId,
        reply_id: expect.any(String),
        attempts: 1,
        outcome: 'delivered',
      }),
    );
  });

  it('counts every attempt of a reply delivered after retries', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', '/v1/sessions/:id/message', [{ status: 503 }, { status: 503 }]);
    const ts = await h.reply(threadTs, 'third time lucky');
    await h.waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(outcomes(sessionId)).toEqual([expect.objectContaining({ outcome: 'delivered', attempts: 3 })]);
  });

  it('writes one line per held reply while the session sleeps', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    const ts = await h.reply(threadTs, 'for later');
    await h.waitForReaction(ts, 'double_vertical_bar');
    await h.idle();
    expect(outcomes(sessionId)).toEqual([
      expect.objectContaining({ msg: 'reply held', outcome: 'held', thread_ts: threadTs, attempts: 1 }),
    ]);
  });

  it('writes one line for a reply dropped because its author may not steer', async () => {
    h.slack.users.set('U3', { name: 'gus', realName: 'Gus Guest', guest: 'restricted' });
    const { sessionId, threadTs } = await h.linkedThread();
    expect((await h.event(threadReply(threadTs, 'from a guest', { user: 'U3' }))).status).toBe(200);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([]);
    expect(outcomes(sessionId)).toEqual([
      expect.objectContaining({ msg: 'reply refused', outcome: 'refused', thread_ts: threadTs, attempts: 0 }),
    ]);
  });
});

describe('poll lines', () => {
  it('writes one info line for a poll that found news, and none for a poll that found nothing', async () => {
    const { sessionId } = await h.linkedThread();
    await h.poll(10_000);
    h.devin.say(sessionId, 'ev-1', 'first finding');
    h.devin.say(sessionId, 'ev-2', 'second finding');
    const before = news(sessionId).length;
    await h.poll(10_000);
    const lines = news(sessionId).slice(before);
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, session_id: sessionId, new_messages: 2, status: 'working' }),
    ]);

    await h.poll(60_000);
    expect(news(sessionId).slice(before)).toHaveLength(1);
  });

  it('names the status a session left', async () => {
    const session = h.devin.addSession();
    await h.linkSession(session.session_id);
    await h.poll(10_000);
    session.status = 'blocked';
    session.status_enum = 'blocked';
    await h.poll(10_000);
    expect(news(session.session_id).at(-1)).toMatchObject({
      new_messages: 0,
      status: 'waiting',
      previous_status: 'working',
    });
  });
});

describe('the start-up line', () => {
  it('names the mode, the port, the store, and the Devin API with its version', async () => {
    const line = await h.waitForLog((entry) => entry.msg === 'devin-slack is ready');
    expect(line).toMatchObject({
      level: 30,
      mode: 'http',
      port: h.running.port,
      store: h.config.storeUrl,
      devin_api: h.devin.url,
      devin_api_version: 'v1',
    });
    expect(line).not.toHaveProperty('not_ready');
  });
});
