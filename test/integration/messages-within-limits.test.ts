import fc from 'fast-check';
import { fuzzRuns } from '../support/fuzz';
import { BOT_TOKEN, Harness } from '../support/harness';
import { appHomeOpened, fixtureEvent } from '../support/slack-signing';

// What the bridge builds from data it does not control (tasks, titles, Devin's error details, pull request lists,
// file names) stays within what real Slack accepts: the strict fake Slack refuses anything else, and fails the test.

let h: Harness;
afterEach(() => h.close());

const LONG_MS = 10 * 60_000;
const MESSAGE_PATH = '/v1/sessions/:id/message';
/** Words of hostile data: non-Latin, emoji, markup, and characters that escaping triples. */
const HOSTILE = 'Déploie 本番 🚀 <b>&amp; <!channel> *bold* ';
const words = (length: number) => HOSTILE.repeat(Math.ceil(length / HOSTILE.length)).slice(0, length);
const pullRequests = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    pr_url: `https://github.com/acme-engineering/a-rather-long-repository-name-${i}/pull/${1000 + i}`,
    pr_state: 'open',
  }));
const rootUpdates = (threadTs: string) => h.slack.callsTo('chat.update').filter((a) => a.ts === threadTs);

describe('the root message of a session', () => {
  it('keeps every status edit within 4,000 characters after `/devin new` with a 2,500-character task and 16 pull requests', async () => {
    h = await Harness.start({ devinVersion: 'v3' });
    const name = 'long-task';
    await h.command(`new ${words(2500)}`, { response_url: h.slack.responseUrl(name) });
    await h.slack.waitForResponse((r) => r.name === name);
    await h.idle();
    const [session] = [...h.devin.sessions.values()];
    const rootTs = rootOf();
    Object.assign(session ?? {}, { pull_requests: pullRequests(16), acus_consumed: 2 });
    await h.poll(LONG_MS);
    h.devin.setState(session?.session_id ?? '', 'finished');
    await h.poll(LONG_MS);

    const edits = rootUpdates(rootTs);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    for (const edit of edits) expect(String(edit.text).length).toBeLessThanOrEqual(4000);
    const last = String(edits.at(-1)?.text);
    expect(last).toContain(':checkered_flag: finished');
    // The task was cut where a word ends, and the root links to the session, where the whole is.
    expect(last).toContain(`<${session?.url}|`);
  });

  it('keeps every status edit within 4,000 characters after `/devin link` to a session with a long title', async () => {
    h = await Harness.start();
    const title = words(5000);
    const { sessionId, threadTs } = await h.linkAs('U1', title);
    h.devin.setState(sessionId, 'finished');
    await h.poll(LONG_MS);
    const edits = rootUpdates(threadTs);
    expect(edits.length).toBeGreaterThanOrEqual(1);
    for (const edit of edits) expect(String(edit.text).length).toBeLessThanOrEqual(4000);
    expect(String(edits.at(-1)?.text)).toContain(':checkered_flag: finished');
  });

  it("keeps a failed start's root edit within 4,000 characters when Devin's reason and the task are long", async () => {
    h = await Harness.start();
    h.devin.script('POST', '/v1/sessions', [{ status: 422, body: { detail: words(6000) } }]);
    const name = 'failing';
    await h.command(`new ${words(2500)}`, { response_url: h.slack.responseUrl(name) });
    const answer = await h.slack.waitForResponse((r) => r.name === name && /couldn't start/.test(r.body.text));
    const rootTs = rootOf();
    const edit = await h.slack.waitFor('chat.update', (a) => a.ts === rootTs);
    expect(String(edit.text).length).toBeLessThanOrEqual(4000);
    expect(String(edit.text)).toMatch(/^:warning: Alice tried to start a Devin session, but it failed: /);
    expect(String(answer.body.text).length).toBeLessThanOrEqual(4000);
  });
});

describe('random data through the running app', () => {
  const PIECES = ['word ', '\n', '<', '>', '&', '&amp;', '<!channel>', '*b* ', '本番 ', '🚀', 'x'.repeat(300)];
  const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 60, size: 'max' }).map((p) => p.join('') || 'x');

  it('passes the strict fake Slack with random tasks, titles, details and pull requests', async () => {
    h = await Harness.start({ devinVersion: 'v3' });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(text, text, text, fc.integer({ min: 0, max: 30 }), async (task, title, detail, prs) => {
        runs += 1;
        const { sessionId, threadTs } = await h.linkAs('U1', title);
        Object.assign(h.devin.mustGet(sessionId), { pull_requests: pullRequests(prs) });
        h.devin.script('POST', `/v3/organizations/org-test/sessions/${sessionId}/messages`, [
          { status: 422, body: { detail } },
        ]);
        await h.reply(threadTs, task);
        h.devin.setState(sessionId, 'finished');
        await h.poll(LONG_MS);
        const name = `new-${runs}`;
        await h.command(`new ${task}`, { response_url: h.slack.responseUrl(name) });
        await h.slack.waitForResponse((r) => r.name === name);
        await h.idle();
        expect(h.slack.takeRefusals()).toEqual([]);
      }),
      fuzzRuns(6),
    );
  });
});

describe('notices in the thread', () => {
  it.each([
    ['a 3,000-character detail', 'x'.repeat(3000)],
    ['1,000 characters of <, > and & (which escaping triples)', '<>&'.repeat(334).slice(0, 1000)],
  ])(
    "tells the thread Devin rejected a reply when its detail is %s, within a section's 3,000 characters",
    async (_, detail) => {
      h = await Harness.start();
      const { sessionId, threadTs } = await h.linkedThread();
      h.devin.script('POST', MESSAGE_PATH, [{ status: 422, body: { detail } }]);
      const ts = await h.reply(threadTs, 'please deploy');
      await h.waitForReaction(ts, 'warning');
      await h.idle();
      const notice = h.slack
        .callsTo('chat.postMessage')
        .find((a) => a.thread_ts === threadTs && String(a.text).includes('rejected that message'));
      expect(notice).toBeDefined();
      expect(notice?.blocks[0].text.text.length).toBeLessThanOrEqual(3000);
      expect(String(notice?.text)).toContain(`<https://app.devin.ai/sessions/${sessionId.replace(/^devin-/, '')}|`);
    },
  );

  it("names ten files of 255 characters that could not be attached, within a section's 3,000 characters", async () => {
    h = await Harness.start({ env: { MAX_FILE_MB: '1' } });
    h.slack.fileToken = BOT_TOKEN;
    const { sessionId, threadTs } = await h.linkedThread();
    const files = Array.from({ length: 10 }, (_, i) =>
      h.slack.addFile({ name: `${i} ${words(250)}.bin`.slice(0, 255), size: 2 * 1024 * 1024 }),
    );
    const payload = fixtureEvent('file-share', { thread_ts: threadTs, text: 'the dumps', files });
    expect((await h.event(payload)).status).toBe(200);
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    const notice = h.slack
      .callsTo('chat.postMessage')
      .find((a) => a.thread_ts === threadTs && String(a.text).includes("couldn't attach"));
    expect(notice).toBeDefined();
    expect(notice?.blocks[0].text.text.length).toBeLessThanOrEqual(3000);
    expect(String(notice?.text)).toContain('10 files');
  });
});

/** The ts of the root message `/devin new` posted (the first post outside a thread). */
function rootOf(): string {
  const root = h.slack.calls.find((c) => c.method === 'chat.postMessage' && !c.args.thread_ts);
  return String(root?.answer?.ts);
}

describe('when Slack still refuses a message for its size', () => {
  const refusedLines = () =>
    h.logs.map((line) => JSON.parse(line)).filter((entry) => String(entry.msg).startsWith('Slack refused a message'));

  it.each(['msg_too_long', 'invalid_blocks'])(
    'edits the root to one line with the status and the link when Slack answers %s, and logs it once with the limit',
    async (error) => {
      h = await Harness.start();
      const { sessionId, threadTs } = await h.linkedThread();
      h.slack.failNext('chat.update', { body: { ok: false, error } });
      h.devin.setState(sessionId, 'finished');
      await h.poll(LONG_MS);
      const [refused, minimal] = rootUpdates(threadTs).slice(-2);
      expect(refused?.blocks).toBeDefined();
      expect(minimal).toMatchObject({
        text: `*Status:* :checkered_flag: finished · <${h.devin.mustGet(sessionId).url}|Open in Devin>`,
        blocks: [],
      });
      expect(refusedLines()).toEqual([
        expect.objectContaining({ level: 40, code: error, limit: expect.any(String), method: 'chat.update' }),
      ]);
    },
  );

  it('posts a notice in its minimal form, with the link to the session, when Slack refuses the full one', async () => {
    h = await Harness.start();
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [{ status: 422, body: { detail: 'no' } }]);
    h.slack.failNext('chat.postMessage', { body: { ok: false, error: 'msg_blocks_too_long' } });
    const ts = await h.reply(threadTs, 'please deploy');
    await h.waitForReaction(ts, 'warning');
    await h.idle();
    expect(h.posted(threadTs)).toEqual([
      `:information_source: Slack would not show this notice in full; <https://app.devin.ai/sessions/${sessionId.slice(6)}|the Devin session> shows where things stand.`,
    ]);
    expect(refusedLines()).toHaveLength(1);
  });

  it('publishes a short App Home saying where the sessions are listed when Slack answers view_too_large', async () => {
    h = await Harness.start();
    h.slack.failNext('views.publish', { body: { ok: false, error: 'view_too_large' } });
    await h.event(appHomeOpened({ user: 'U1' }));
    await h.slack.waitForCount('views.publish', 2);
    expect(JSON.stringify(h.slack.homeOf('U1'))).toContain('`/devin list` lists them');
    expect(refusedLines()).toEqual([expect.objectContaining({ code: 'view_too_large', limit: 'a view: 250 kB' })]);
  });
});
