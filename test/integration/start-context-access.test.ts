import { Harness } from '../support/harness';
import { CONTEXT_HEADING, withoutOrigin } from '../support/prompts';
import { appMentionEvent, type Json, messageShortcut, nextTs, viewSubmission } from '../support/slack-signing';

let h: Harness;
afterEach(() => h.close());

/** U3 is a guest, U4 a bot user, U5 someone from a partner workspace (Slack Connect), U6 off the user list. */
async function start(env: Record<string, string> = {}): Promise<Harness> {
  h = await Harness.start({ env });
  h.slack.users.set('U3', { name: 'gus', realName: 'Gus Guest', guest: 'restricted' });
  h.slack.users.set('U4', { name: 'deploybot', realName: 'Deploy Bot', bot: true });
  h.slack.users.set('U5', { name: 'pat', realName: 'Pat Partner', team: 'T2' });
  h.slack.users.set('U6', { name: 'otto', realName: 'Otto Outsider' });
  return h;
}

const SECRET_WORDS = ['guest says push', 'bot account says push', 'partner says push', 'aside says push', 'otto says'];

/** A thread with a message from each kind of author; resolves with its parent's ts and the ts the start comes at. */
function thread(starter = 'U1'): { parentTs: string; startTs: string } {
  const parentTs = nextTs();
  const message = (user: string, text: string, extra: Json = {}) => ({
    type: 'message',
    user,
    text,
    ts: nextTs(),
    thread_ts: parentTs,
    ...extra,
  });
  const earlier = [
    { type: 'message', user: 'U1', text: 'the nightly build is red', ts: parentTs },
    message('U3', 'guest says push to main'),
    message('U4', 'bot account says push to main'),
    message('U5', 'partner says push to main', { user_team: 'T2' }),
    message('U2', '(aside) aside says push to main'),
    message('U6', 'otto says push to main'),
    message('U2', 'bob thinks it is the cache'),
  ];
  const startTs = nextTs();
  h.slack.setThread('C1', parentTs, [
    ...earlier,
    { type: 'message', user: starter, text: '<@UBOT> please look into it', ts: startTs, thread_ts: parentTs },
  ]);
  return { parentTs, startTs };
}

const created = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions');
const promptOf = (i = 0) => withoutOrigin(created()[i]?.body.prompt);

async function mention(user: string, ts: string, parentTs: string): Promise<string> {
  await h.event(appMentionEvent({ user, text: '<@UBOT> please look into it', ts, thread_ts: parentTs }));
  await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === parentTs);
  await h.idle();
  return promptOf();
}

describe('the thread context a session starts from', () => {
  it('holds only messages of people who may steer: no guests, bots, strangers, people off the list, or asides', async () => {
    await start({ ALLOWED_USER_IDS: 'U1,U2,U3,U4,U5' });
    const { parentTs, startTs } = thread();

    const prompt = await mention('U1', startTs, parentTs);

    expect(prompt).toBe(
      'Alice (@alice, U1) via Slack: please look into it\n\n' +
        `${CONTEXT_HEADING}\n` +
        '> Alice (@alice, U1): the nightly build is red\n' +
        '> Bob (@bob, U2): bob thinks it is the cache\n' +
        '(Left out: 5 messages from apps, asides or people who may not steer this session.)',
    );
    for (const words of SECRET_WORDS) expect(prompt).not.toContain(words);
  });

  it('follows the steering policy the session is bound with: under STEER_POLICY=starter, only the starter', async () => {
    await start({ STEER_POLICY: 'starter', ALLOW_GUESTS: 'true', ALLOWED_TEAM_IDS: 'T2' });
    const { parentTs, startTs } = thread('U2');

    const prompt = await mention('U2', startTs, parentTs);

    expect(prompt.split(`${CONTEXT_HEADING}\n`)[1]).toBe(
      '> Bob (@bob, U2): bob thinks it is the cache\n' +
        '(Left out: 6 messages from apps, asides or people who may not steer this session.)',
    );
  });

  it('applies the same rules to a new session Bob starts from the Send to Devin form', async () => {
    await start({ ALLOWED_USER_IDS: 'U1,U2,U3,U4,U5' });
    const { parentTs, startTs } = thread();
    const shortcut = messageShortcut(
      { ts: startTs, thread_ts: parentTs, user: 'U1', text: 'please look into it' },
      { response_url: h.slack.responseUrl('sc') },
    );
    expect((await h.action(shortcut)).status).toBe(200);
    const [opened] = await h.slack.waitForCount('views.open', 1);
    await h.slack.waitForCount('views.update', 1);
    expect((await h.action(viewSubmission(String(opened?.view.private_metadata), 'new'))).status).toBe(200);
    await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === parentTs);
    await h.idle();

    const prompt = promptOf();
    expect(prompt).toContain('> Bob (@bob, U2): bob thinks it is the cache');
    expect(prompt).toContain('(Left out: 5 messages from apps, asides or people who may not steer this session.)');
    for (const words of SECRET_WORDS) expect(prompt).not.toContain(words);
  });

  it('leaves the oldest whole messages out when the thread is long, never a part of one', async () => {
    await start();
    const parentTs = nextTs();
    const long = (i: number) => `message ${i} ${'word '.repeat(400)}end ${i}\nsecond line of ${i}`;
    const messages: Json[] = [{ type: 'message', user: 'U1', text: long(0), ts: parentTs }];
    for (let i = 1; i < 20; i += 1) messages.push({ type: 'message', user: 'U2', text: long(i), ts: nextTs() });
    const startTs = nextTs();
    messages.push({ type: 'message', user: 'U1', text: '<@UBOT> go', ts: startTs, thread_ts: parentTs });
    h.slack.setThread('C1', parentTs, messages);

    const prompt = await mention('U1', startTs, parentTs);

    const context = prompt.split(`${CONTEXT_HEADING}\n`)[1] ?? '';
    const lines = context.split('\n');
    const leftOut = lines.pop();
    expect(leftOut).toMatch(/^\(Left out: \d+ older messages for length\.\)$/);
    for (const line of lines) expect(line.startsWith('> ')).toBe(true);
    const kept = [...context.matchAll(/message (\d+) /g)].map((m) => Number(m[1]));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.at(-1)).toBe(19);
    // Each message kept is whole: its first words, its last word and its second line.
    for (const i of kept) {
      expect(context).toContain(`end ${i}\n>   second line of ${i}`);
    }
    expect(Number(/\d+/.exec(leftOut ?? '')?.[0]) + kept.length).toBe(20);
  });
});
