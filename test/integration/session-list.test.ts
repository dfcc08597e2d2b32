import { expectWithinBlockKit } from '../support/block-kit-limits';
import { Harness } from '../support/harness';

let h: Harness;
afterEach(() => h?.close());

let counter = 0;

/** Runs `/devin <text>` as `user` and resolves with the ephemeral answer. */
async function ask(text: string, user = 'U1', channel = 'C1') {
  counter += 1;
  const name = `list-${counter}`;
  const res = await h.command(text, { user_id: user, channel_id: channel, response_url: h.slack.responseUrl(name) });
  expect(res.status).toBe(200);
  const answer = await h.slack.waitForResponse((r) => r.name === name);
  expect(answer.body.response_type).toBe('ephemeral');
  return answer.body;
}

/** `/devin link` as `user`; resolves with the bound thread's ts. */
const linkAs = (user: string, title: string, channel = 'C1') => h.linkAs(user, title, channel);

const sectionTexts = (body: { blocks: Array<{ text?: { text: string } }> }) =>
  body.blocks.map((b) => b.text?.text ?? '');

describe('/devin list', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it("lists the person's own sessions, newest first, with status, what waits and links to each thread", async () => {
    const older = await linkAs('U1', 'Fix the login test');
    const steered = await linkAs('U2', 'Upgrade the build');
    await linkAs('U2', 'Only Bob knows this one');
    await h.poll();
    h.clock.advance(60_000);
    await h.reply(steered.threadTs, 'please also bump the lockfile');
    await h.idle();

    const body = await ask('list');
    expectWithinBlockKit(body, 'message');
    const [heading, first, second, ...rest] = sectionTexts(body);
    expect(heading).toMatch(/Your 2 most recent Devin sessions/);
    expect(rest).toEqual([]);
    expect(first).toContain('*Upgrade the build*');
    expect(first).toContain(':large_green_circle: working');
    expect(first).toContain('no replies waiting');
    expect(first).toContain(
      `<https://acme.slack.com/archives/C1/p${steered.threadTs.replace('.', '')}|Open the thread>`,
    );
    expect(first).toContain(`<https://app.devin.ai/sessions/${steered.sessionId.slice(6)}|Open in Devin>`);
    expect(second).toContain('*Fix the login test*');
    expect(second).toContain(`p${older.threadTs.replace('.', '')}|Open the thread>`);

    const bobs = sectionTexts(await ask('list', 'U2'));
    expect(
      bobs
        .slice(1)
        .map((t) => t.split('\n')[0])
        .sort(),
    ).toEqual(['*Only Bob knows this one*', '*Upgrade the build*']);
  });

  it('counts the replies held for an asleep session', async () => {
    const { sessionId, threadTs } = await linkAs('U1', 'Fix the login test');
    h.devin.pause(sessionId);
    await h.reply(threadTs, 'are you there?');
    await h.slack.waitFor('reactions.add', (a) => a.name === 'double_vertical_bar');
    const [, first] = sectionTexts(await ask('list'));
    expect(first).toContain('1 reply waiting (1 held)');
  });

  it('leaves out a session whose only thread is in a channel the person is not in', async () => {
    h.slack.channels.set('C2', 'secret');
    await linkAs('U1', 'Secret work', 'C2');
    await linkAs('U1', 'Open work');
    h.slack.members.set('C2', ['U2']);
    await h.poll();
    const texts = sectionTexts(await ask('list'));
    expect(texts.slice(1).map((t) => t.split('\n')[0])).toEqual(['*Open work*']);
  });

  it('says how to start one when the person has no sessions', async () => {
    const body = await ask('list');
    expect(body.text).toMatch(/^You have no Devin sessions yet/);
  });

  it('takes no words after it', async () => {
    const res = await h.command('list everything', { response_url: h.slack.responseUrl('x') });
    expect(JSON.parse(res.body).text).toMatch(/^`\/devin list` takes nothing after it/);
  });
});

describe('/devin list for someone the allowlists refuse', () => {
  beforeEach(async () => {
    h = await Harness.start({ env: { ALLOWED_USER_IDS: 'U1' } });
  });

  it('answers with the refusal and lists nothing', async () => {
    await linkAs('U1', 'Fix the login test');
    const body = await ask('list', 'U2');
    expect(body.text).toBe('You are not on the list of people who may use Devin here, so nothing was sent to Devin.');
    expect(body.blocks).toBeUndefined();
  });
});
