import { Harness } from '../support/harness';
import { appMentionEvent, nextTs, threadReply } from '../support/slack-signing';

let h: Harness;
afterEach(() => h.close());

const HOUR_MS = 60 * 60_000;
const created = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions');

/** What the app told `user` privately, in order. */
const toldPrivately = (user: string) =>
  h.slack
    .callsTo('chat.postEphemeral')
    .filter((args) => args.user === user)
    .map((args) => String(args.text));

async function mention(user: string): Promise<void> {
  expect((await h.event(appMentionEvent({ user, text: '<@UBOT> fix the build', ts: nextTs() }))).status).toBe(200);
  await h.idle();
}

async function commandAs(user: string, text: string): Promise<string> {
  const name = `cmd-${Math.random()}`;
  const res = await h.command(text, { user_id: user, response_url: h.slack.responseUrl(name) });
  if (res.body) return JSON.parse(res.body).text as string;
  return String((await h.slack.waitForResponse((r) => r.name === name)).body.text);
}

const slackDate = (ms: number) => new RegExp(`<!date\\^${Math.ceil(ms / 1000)}\\^`);

describe('session starts', () => {
  it('are limited per person per hour, and the person is told when they may start again', async () => {
    h = await Harness.start({ env: { STARTS_PER_PERSON_PER_HOUR: '2' } });
    const first = h.clock.now();
    await mention('U1');
    h.clock.advance(60_000);
    await mention('U1');
    h.clock.advance(60_000);
    await mention('U1');
    expect(await commandAs('U1', 'new fix it differently')).toMatch(/^:hourglass: You started 2 Devin sessions/);
    await h.idle();

    expect(created()).toHaveLength(2);
    const [told] = toldPrivately('U1');
    expect(told).toMatch(/^:hourglass: You started 2 Devin sessions in the last hour, the most one person may/);
    expect(told).toMatch(slackDate(first + HOUR_MS));
    // Another person is not held back by Alice's limit; Alice may start again an hour after her first start.
    await mention('U2');
    expect(created()).toHaveLength(3);
    h.clock.advance(HOUR_MS - 2 * 60_000);
    await mention('U1');
    expect(created()).toHaveLength(4);
    const limited = h.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'audit' && l.outcome === 'limited');
    expect(limited.map((l) => [l.action, l.user_id, l.reason])).toEqual([
      ['start', 'U1', 'person-limit'],
      ['start', 'U1', 'person-limit'],
    ]);
  });

  it('are limited per workspace per hour', async () => {
    h = await Harness.start({ env: { STARTS_PER_WORKSPACE_PER_HOUR: '2' } });
    await mention('U1');
    await mention('U2');
    expect(await commandAs('U2', 'new one more')).toMatch(
      /^:hourglass: This workspace started 2 Devin sessions in the last hour, the most it may/,
    );
    await mention('U1');
    expect(created()).toHaveLength(2);
  });
});

describe('replies waiting in one session', () => {
  it('are capped per person and per session; one over a cap gets a receipt saying so, and never reaches Devin', async () => {
    h = await Harness.start({ env: { MAX_WAITING_REPLIES_PER_SESSION: '3', MAX_WAITING_REPLIES_PER_PERSON: '2' } });
    h.slack.users.set('U3', { name: 'carol', realName: 'Carol' });
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    const sent: Array<[string, string]> = [];
    for (const [user, text] of [
      ['U1', 'alice one'],
      ['U1', 'alice two'],
      ['U1', 'alice three'],
      ['U2', 'bob one'],
      ['U3', 'carol one'],
    ] as const) {
      const payload = threadReply(threadTs, text, { user });
      expect((await h.event(payload)).status).toBe(200);
      await h.idle();
      sent.push([text, String(payload.event.ts)]);
    }
    expect(await commandAs('U3', `say ${sessionId} carol by command`)).toMatch(/^:no_entry_sign: Your message was not/);

    const receipt = (text: string) => h.reactions(sent.find(([t]) => t === text)?.[1] ?? '');
    expect(receipt('alice three')).toEqual(['+no_entry_sign']);
    expect(receipt('carol one')).toEqual(['+no_entry_sign']);
    expect(receipt('alice one')).toEqual(['+double_vertical_bar']);
    expect(toldPrivately('U1')).toEqual([expect.stringContaining('2 replies of yours already wait for this session')]);
    expect(toldPrivately('U3')).toEqual([expect.stringContaining('3 replies already wait for this session')]);

    h.devin.resume(sessionId);
    await h.resend(sessionId, threadTs);
    expect(h.devin.delivered(sessionId).map((t) => t.split(' via Slack: ')[1])).toEqual([
      'alice one',
      'alice two',
      'bob one',
    ]);
  });
});
