import { randomBytes } from 'node:crypto';
import { BOT_TOKEN, DEVIN_KEY, Harness, SIGNING_SECRET } from '../support/harness';
import { withoutOrigin } from '../support/prompts';
import { freshRedisUrl } from '../support/redis-test-url';
import { threadReply } from '../support/slack-signing';

let h: Harness;
afterEach(() => h?.close());

let counter = 0;
const hex = () => randomBytes(16).toString('hex');
const permalink = (channel: string, threadTs: string) =>
  `https://acme.slack.com/archives/${channel}/p${threadTs.replace('.', '')}`;
/** How many sentences a text holds (ends of sentences followed by a space or the end). */
const sentences = (text: string) => text.match(/[.!?](?=\s|$)/g)?.length ?? 0;

/** Runs `/devin <text>` and waits for the ephemeral answer on its own response_url. */
async function ask(text: string) {
  counter += 1;
  const name = `cmd-${counter}`;
  const res = await h.command(text, { response_url: h.slack.responseUrl(name) });
  expect(res.status).toBe(200);
  const answer = await h.slack.waitForResponse((r) => r.name === name);
  expect(answer.body.response_type).toBe('ephemeral');
  return { res, body: answer.body, text: String(answer.body.text) };
}

/** The ephemeral answer that arrived on the response_url named `name`. */
async function waitForAnswer(name: string) {
  const answer = await h.slack.waitForResponse((r) => r.name === name);
  expect(answer.body.response_type).toBe('ephemeral');
  return { body: answer.body, text: String(answer.body.text) };
}

/** The usage answer that comes back in the body of the command's own HTTP response. */
async function immediate(text: string): Promise<string> {
  const res = await h.command(text, { response_url: h.slack.responseUrl(`immediate-${text}`) });
  expect(res.status).toBe(200);
  const body = JSON.parse(res.body);
  expect(body.response_type).toBe('ephemeral');
  return String(body.text);
}

const createdSessions = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions');
const rootPosts = () => h.slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.args.thread_ts);

describe('/devin new', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it('starts a session with the task, posts and updates a root message, confirms, and relays replies in it', async () => {
    const { text } = await ask('new fix the flaky login test');
    expect(text).toMatch(/^Started <https:\/\/app\.devin\.ai\/sessions\/[0-9a-f]+\|the Devin session>/);

    const [created] = createdSessions();
    expect(withoutOrigin(created?.body.prompt)).toBe('Alice (@alice, U1) via Slack: fix the flaky login test');
    const session = [...h.devin.sessions.values()].find((s) => s.messages[0]?.message === created?.body.prompt);
    if (!session) throw new Error('no session was created');

    const [root] = rootPosts();
    expect(root?.args.channel).toBe('C1');
    expect(root?.args.text).toContain('fix the flaky login test');
    const rootTs = root?.answer?.ts as string;
    const update = await h.slack.waitFor('chat.update', (a) => a.ts === rootTs);
    expect(update.channel).toBe('C1');
    expect(update.text).toContain(session.session_id);
    expect(update.text).toContain(`<${session.url}|`);
    expect(h.slack.responses.every((r) => r.body.response_type === 'ephemeral')).toBe(true);

    await h.event(threadReply(rootTs, 'the failure only shows up on CI'));
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: the failure only shows up on CI',
    ]);
  });

  it('quotes the task as it was written: what Slack escaped in the command is decoded once, and escaped once', async () => {
    // Slack sends `&`, `<` and `>` of a command's text as entities, and a person picked with @ as a mention.
    await ask('new fix A &amp; B, then &lt;deploy&gt; for <@U2|bob>');
    const [created] = createdSessions();
    expect(withoutOrigin(created?.body.prompt)).toBe('Alice (@alice, U1) via Slack: fix A & B, then <deploy> for @bob');
    const [root] = rootPosts();
    expect(root?.args.text).toContain('> fix A &amp; B, then &lt;deploy&gt; for @bob');
    const rootTs = root?.answer?.ts as string;
    const update = await h.slack.waitFor('chat.update', (a) => a.ts === rootTs);
    expect(update.text).toContain('> fix A &amp; B, then &lt;deploy&gt; for @bob');
    expect(JSON.stringify([root?.args, update])).not.toContain('&amp;amp;');
  });

  it('asks to invite the bot when it is not in the channel, and starts nothing', async () => {
    h.slack.failNext('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    const { text } = await ask('new fix the flaky login test');
    expect(text).toMatch(/invite me/i);
    expect(sentences(text)).toBe(1);

    await ask('new update the changelog');
    expect(createdSessions().map((r) => withoutOrigin(r.body.prompt))).toEqual([
      'Alice (@alice, U1) via Slack: update the changelog',
    ]);
  });

  it.each([
    ['keeps failing (500)', 500, /having trouble \(HTTP 500\)/],
    ['refuses the API key (401)', 401, /DEVIN_API_KEY/],
  ])('marks the root message failed and tells the person in one sentence when Devin %s', async (_, status, why) => {
    h.devin.script(
      'POST',
      '/v1/sessions',
      Array.from({ length: 5 }, () => ({ status, body: { detail: 'internal trouble' } })),
    );
    expect(
      (await h.command('new fix the flaky login test', { response_url: h.slack.responseUrl('failing') })).status,
    ).toBe(200);
    // A 500 may pass: it is tried again by the sweep until the retry window is over; a 401 is final at once.
    await h.running.starts.idle();
    h.clock.advance(61_000);
    await h.running.starts.resumeDue();
    const { text } = await waitForAnswer('failing');
    expect(createdSessions()).toHaveLength(status === 500 ? 2 : 1);
    expect(text).toMatch(/^I couldn't start a Devin session/);
    expect(text).toMatch(why);
    expect(sentences(text)).toBe(1);

    const rootTs = rootPosts()[0]?.answer?.ts;
    const update = await h.slack.waitFor('chat.update', (a) => a.ts === rootTs);
    expect(update.text).toMatch(/failed/);
    expect(update.text).toMatch(why);
    const posted = h.slack.calls.filter((c) => c.method.startsWith('chat.')).map((c) => c.args);
    const seen = JSON.stringify([posted, h.slack.responses, h.logs]);
    for (const secret of [DEVIN_KEY, BOT_TOKEN, SIGNING_SECRET]) expect(seen).not.toContain(secret);
  });
});

describe('/devin new with a slow Devin', () => {
  beforeEach(async () => {
    h = await Harness.start({ env: { DEVIN_REQUEST_TIMEOUT_MS: '10000' } });
  });

  it('acknowledges the command before Devin answers and confirms through the response_url later', async () => {
    const session = h.devin.addSession();
    h.devin.script('POST', '/v1/sessions', [
      {
        delayMs: 4000,
        body: { session_id: session.session_id, url: session.url, is_new_session: true },
      },
    ]);
    const res = await h.command('new fix the flaky login test', { response_url: h.slack.responseUrl('slow') });
    expect(res.status).toBe(200);
    expect(h.slack.responses.filter((r) => r.name === 'slow')).toEqual([]);

    const answer = await h.slack.waitForResponse((r) => r.name === 'slow', 8000);
    expect(answer.body.text).toMatch(/^Started/);
    expect(answer.body.text).toContain(session.url);
  });
});

describe('/devin usage', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it.each([
    ['help', /^\*Using `\/devin`\*/],
    ['', /^\*Using `\/devin`\*/],
    ['frobnicate', /^I don't know `\/devin frobnicate`\.\n/],
    ['new', /^`\/devin new` needs a task, for example .*\.\n/],
    ['say devin-abc', /^`\/devin say` needs a session or thread and a message, for example .*\.\n/],
    ['link', /^`\/devin link` needs a session ID or URL, for example .*\.\n/],
  ])('answers `/devin %s` at once with the usage text', async (command, first) => {
    const text = await immediate(command);
    expect(text).toMatch(first);
    for (const sub of ['/devin new', '/devin link', '/devin say', '/devin status', '/devin help']) {
      expect(text).toContain(sub);
    }
  });

  it('posts nothing in the channel and sends nothing to the response_url for usage answers', async () => {
    for (const command of ['help', '', 'frobnicate', 'new', 'say devin-abc', 'link']) await immediate(command);
    await ask('new update the changelog');
    expect(rootPosts()).toHaveLength(1);
    expect(h.slack.responses.map((r) => r.name)).toEqual([`cmd-${counter}`]);
    expect(createdSessions()).toHaveLength(1);
  });
});

describe('/devin link', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it.each([
    ['its id', (id: string, _url: string) => id],
    ['its URL', (_id: string, url: string) => url],
  ])('links a session named by %s: reads it, posts a bound root message, relays replies', async (_, ref) => {
    const session = h.devin.addSession({ title: 'Fix the login test' });
    const { text } = await ask(`link ${ref(session.session_id, session.url)}`);
    expect(text).toMatch(/^Linked <https:\/\/app\.devin\.ai\/sessions\/[0-9a-f]+\|Fix the login test>/);
    expect(h.devin.requests.some((r) => r.method === 'GET' && r.path === `/v1/sessions/${session.session_id}`)).toBe(
      true,
    );
    const [root] = rootPosts();
    expect(root?.args.channel).toBe('C1');
    expect(root?.args.text).toContain(session.url);

    await h.event(threadReply(root?.answer?.ts as string, 'please rebase first'));
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: please rebase first',
    ]);
  });

  it('says an unknown session does not exist and posts nothing', async () => {
    const { text } = await ask(`link devin-${hex()}`);
    expect(text).toMatch(/^Devin has no session `devin-[0-9a-f]+`/);
    await h.linkedThread();
    expect(rootPosts()).toHaveLength(1);
  });

  it('says a garbage reference is not a session id or URL, without asking Devin', async () => {
    h.devin.reset(); // Forgets the key check made at start-up.
    const { text } = await ask('link not-a-session');
    expect(text).toMatch(/^That is not a Devin session id .* or session URL/);
    expect(h.devin.requests).toEqual([]);
    expect(rootPosts()).toEqual([]);
  });
});

describe('/devin say', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it('delivers a message to a session named by its id and says Delivered', async () => {
    const session = h.devin.addSession();
    const { text } = await ask(`say ${session.session_id} hello`);
    expect(text).toMatch(/Delivered/);
    expect(h.devin.delivered(session.session_id)).toEqual(['Alice (@alice, U1) via Slack: hello']);
  });

  it("delivers a message to the session of a bound thread named by the thread's permalink", async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const { text } = await ask(`say ${permalink('C1', threadTs)} hello`);
    expect(text).toMatch(/Delivered/);
    expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: hello']);
  });

  it('says the message is held, with a Resend button, when the session is asleep', async () => {
    const session = h.devin.addSession();
    h.devin.pause(session.session_id);
    const { text, body } = await ask(`say ${session.session_id} hello`);
    expect(text).toMatch(/asleep.*held/);
    const buttons = body.blocks.flatMap((b: { elements?: unknown[] }) => b.elements ?? []);
    expect(buttons).toContainEqual(expect.objectContaining({ action_id: 'resend_held', value: session.session_id }));
    expect(h.devin.delivered(session.session_id)).toEqual([]);
  });

  it('says Devin has no such session', async () => {
    const id = `devin-${hex()}`;
    const { text } = await ask(`say ${id} hello`);
    expect(text).toContain(`Devin has no session \`${id}\``);
  });

  it('says the thread is not bound when the permalink names an unbound thread', async () => {
    h.devin.reset(); // Forgets the key check made at start-up.
    const { text } = await ask(`say ${permalink('C1', '1700000999.000100')} hello`);
    expect(text).toBe('That thread is not bound to a Devin session.');
    expect(h.devin.requests).toEqual([]);
  });

  it('says the message could not be delivered once the retries run out', async () => {
    const session = h.devin.addSession();
    h.devin.script(
      'POST',
      '/v1/sessions/:id/message',
      Array.from({ length: 40 }, () => ({ status: 503, body: { detail: 'unavailable' } })),
    );
    const { text } = await ask(`say ${session.session_id} hello`);
    expect(text).toMatch(/could not be delivered/);
    expect(h.clock.sleeps.length).toBeGreaterThan(1);
    expect(h.devin.delivered(session.session_id)).toEqual([]);
  });
});

describe('/devin say while another replica delivers the session', () => {
  // Replicas share a Redis store: a SQLite file has one process, whose leases are its own.
  beforeEach(async () => {
    h = await Harness.start({ sayWaitMs: 300, storeUrl: await freshRedisUrl(8) });
  });

  it('says the message is recorded and waits its turn, then the replica that holds the session sends it', async () => {
    const session = h.devin.addSession();
    await h.store.claim(`lease:deliver:${session.session_id}`, 'another-replica', 60_000);
    const { text } = await ask(`say ${session.session_id} hello from elsewhere`);
    expect(text).toMatch(/recorded and waits its turn/);
    expect(h.devin.delivered(session.session_id)).toEqual([]);

    await h.store.release(`lease:deliver:${session.session_id}`, 'another-replica');
    await h.running.deliverer.resumeAll();
    await h.idle();
    expect(h.devin.delivered(session.session_id)).toEqual(['Alice (@alice, U1) via Slack: hello from elsewhere']);
  });
});

describe('/devin when the app fails inside', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it('tells the person in one sentence instead of leaving them without an answer', async () => {
    const session = h.devin.addSession();
    await h.store.close();
    const { text } = await ask(`say ${session.session_id} hello`);
    expect(text).toBe(':warning: Something went wrong with `/devin say`, so it did not finish; please try again.');
    expect(h.logs.some((line) => JSON.parse(line).msg === '`/devin say` failed')).toBe(true);
  });
});

describe('/devin status', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it('shows title, status, link and no waiting replies for a session named by its id', async () => {
    const session = h.devin.addSession({ title: 'Fix the login test', status_enum: 'working', status: 'running' });
    const { text } = await ask(`status ${session.session_id}`);
    expect(text).toContain('*Fix the login test*');
    expect(text).toContain('Status: working / running');
    expect(text).toContain(`<${session.url}|${session.session_id}>`);
    expect(text).toContain('Replies waiting for delivery: 0');
  });

  it('counts the replies held for an asleep session named by its thread permalink', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    await h.event(threadReply(threadTs, 'are you there?'));
    await h.slack.waitFor('reactions.add', (a) => a.name === 'double_vertical_bar');
    const { text } = await ask(`status ${permalink('C1', threadTs)}`);
    expect(text).toContain('*Fake session*');
    expect(text).toContain(`https://app.devin.ai/sessions/${sessionId.slice('devin-'.length)}`);
    expect(text).toContain('Replies waiting for delivery: 1');
  });
});
