import { patternSha256, sha256 } from '../support/file-bytes';
import { BOT_TOKEN, Harness } from '../support/harness';
import { withoutOrigin } from '../support/prompts';
import { freshRedisUrl } from '../support/redis-test-url';
import { appMentionEvent, fixtureEvent, messageEvent } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ env: { MAX_FILE_MB: '1' } });
  h.slack.fileToken = BOT_TOKEN;
});
afterEach(() => h.close());

const ATTACHMENTS = '/v1/attachments';
const MESSAGE_PATH = '/v1/sessions/:id/message';
const words = (text: string) => `Alice (@alice, U1) via Slack: ${text}`;
const line = (url: string) => `ATTACHMENT:"${url}"`;

/** A file_share reply in the thread with the given files (Slack's file objects from `h.slack.addFile`). */
async function share(threadTs: string, text: string, files: object[]) {
  const payload = fixtureEvent('file-share', { thread_ts: threadTs, text, files });
  const res = await h.event(payload);
  expect(res.status).toBe(200);
  return String(payload.event.ts);
}

/** What the thread was told in one-off notices (posted in the thread, not Devin's messages). */
const threadNotices = (threadTs: string) =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((a) => a.thread_ts === threadTs)
    .map((a) => String(a.text));

describe('files shared in a bound thread', () => {
  it('delivers a reply with two files as one message with two ATTACHMENT: lines, after two uploads', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const traceText = 'Error: boom\n    at main (index.js:1:1)\n';
    const trace = h.slack.addFile({ name: 'trace.txt', content: traceText, mimetype: 'text/plain' });
    const shot = h.slack.addFile({ name: 'screenshot.png', size: 300_000, mimetype: 'image/png' });
    const ts = await share(threadTs, 'Here is the stack trace', [trace, shot]);

    const [text] = await h.devin.waitForDelivered(sessionId, 1);
    const uploads = h.devin.uploads;
    expect(uploads.map((u) => [u.name, u.size, u.type])).toEqual([
      ['trace.txt', traceText.length, 'text/plain'],
      ['screenshot.png', 300_000, 'image/png'],
    ]);
    expect(uploads[0]?.sha256).toBe(sha256(traceText));
    expect(uploads[1]?.sha256).toBe(await patternSha256(300_000));
    expect(text).toBe(
      [words('Here is the stack trace'), line(uploads[0]?.url ?? ''), line(uploads[1]?.url ?? '')].join('\n'),
    );
    // Read with the bot token, each once.
    expect(h.slack.downloads.map((d) => [d.id, d.token, d.answered])).toEqual([
      [trace.id, BOT_TOKEN, 'file'],
      [shot.id, BOT_TOKEN, 'file'],
    ]);
    await h.waitForReaction(ts, 'white_check_mark');
    await h.idle();
    expect(h.devin.delivered(sessionId)).toHaveLength(1);
    expect(threadNotices(threadTs)).toEqual([]);
  });

  it('does not upload the files again when the message is retried', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', MESSAGE_PATH, [{ status: 503, body: { detail: 'busy' } }, { status: 502 }]);
    const file = h.slack.addFile({ name: 'notes.md', content: '# notes\n' });
    await share(threadTs, 'see the notes', [file]);

    const [text] = await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    expect(h.devin.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/message'))).toHaveLength(3);
    expect(h.devin.uploads).toHaveLength(1);
    expect(h.slack.downloads).toHaveLength(1);
    expect(text).toBe(`${words('see the notes')}\n${line(h.devin.uploads[0]?.url ?? '')}`);
  });

  it('answers in the thread naming a file over MAX_FILE_MB, and still delivers the words with a line saying so', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const big = h.slack.addFile({ name: 'dump.bin', size: 2 * 1024 * 1024 });
    const small = h.slack.addFile({ name: 'small.txt', content: 'ok' });
    const ts = await share(threadTs, 'two files', [big, small]);

    const [text] = await h.devin.waitForDelivered(sessionId, 1);
    expect(text).toBe(
      [
        words('two files'),
        '(Could not attach "dump.bin": over the 1 MB limit.)',
        line(h.devin.uploads[0]?.url ?? ''),
      ].join('\n'),
    );
    await h.waitForReaction(ts, 'white_check_mark');
    await h.idle();
    // Refused from Slack's size, before any download.
    expect(h.slack.downloads.map((d) => d.id)).toEqual([small.id]);
    expect(h.devin.uploads.map((u) => u.name)).toEqual(['small.txt']);
    const notices = threadNotices(threadTs);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('*dump.bin*: over the 1 MB limit');
  });

  it('cuts off a file that turns out larger than the limit while it streams', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const liar = h.slack.addFile({ name: 'grows.log', size: 3 * 1024 * 1024, announcedSize: 1000 });
    await share(threadTs, 'the log', [liar]);

    const [text] = await h.devin.waitForDelivered(sessionId, 1);
    expect(text).toBe(`${words('the log')}\n(Could not attach "grows.log": over the 1 MB limit.)`);
    await h.idle();
    expect(h.devin.uploads).toEqual([]);
    expect(threadNotices(threadTs).join('\n')).toContain('*grows.log*: over the 1 MB limit');
  });

  it('retries an upload Devin answers 500 once, and attaches the file', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', ATTACHMENTS, [{ status: 500, body: { detail: 'storage hiccup' } }]);
    const file = h.slack.addFile({ name: 'a.txt', content: 'a' });
    await share(threadTs, 'one', [file]);

    const [text] = await h.devin.waitForDelivered(sessionId, 1);
    expect(text).toBe(`${words('one')}\n${line(h.devin.uploads[0]?.url ?? '')}`);
    expect(h.devin.requests.filter((r) => r.path === ATTACHMENTS)).toHaveLength(2);
    expect(h.slack.downloads).toHaveLength(2);
    await h.idle();
    expect(threadNotices(threadTs)).toEqual([]);
  });

  it('reports an upload that keeps failing in the thread, and delivers the words with a line naming the file', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script(
      'POST',
      ATTACHMENTS,
      Array.from({ length: 100 }, () => ({ status: 503, body: { detail: 'down' } })),
    );
    const file = h.slack.addFile({ name: 'report.pdf', content: '%PDF-1.4', mimetype: 'application/pdf' });
    await share(threadTs, 'the report', [file]);

    const [text] = await h.devin.waitForDelivered(sessionId, 1, 10_000);
    expect(text).toBe(
      `${words('the report')}\n(Could not attach "report.pdf": Devin's API refused the upload (HTTP 503).)`,
    );
    await h.idle();
    const notices = threadNotices(threadTs);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("*report.pdf*: Devin's API refused the upload (HTTP 503)");
    expect(h.clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60_000);
  });

  it('takes an upload refused with 401 for a misconfigured key, as a refused message: the reply is kept', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.script('POST', ATTACHMENTS, [{ status: 401, body: { detail: 'Invalid API key' } }]);
    const file = h.slack.addFile({ name: 'a.txt', content: 'a' });
    const ts = await share(threadTs, 'one', [file]);

    await h.waitForReaction(ts, 'warning');
    await h.idle();
    expect(h.devin.delivered(sessionId)).toEqual([]);
    expect(threadNotices(threadTs).join('\n')).toContain('DEVIN_API_KEY');
    expect(h.logs.some((l) => l.includes('Devin refused DEVIN_API_KEY'))).toBe(true);

    // Once the key works, the next reply sends the kept one first, with its file.
    await h.reply(threadTs, 'and again');
    expect(await h.devin.waitForDelivered(sessionId, 2)).toEqual([
      `${words('one')}\n${line(h.devin.uploads[0]?.url ?? '')}`,
      words('and again'),
    ]);
    expect(h.devin.uploads).toHaveLength(1);
  });
});

describe("Devin's answer to an upload", () => {
  it('takes the URL answered as a JSON string as well as plain text', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.quoteAttachmentUrls = true;
    await share(threadTs, 'quoted', [h.slack.addFile({ name: 'q.txt', content: 'q' })]);
    const [text] = await h.devin.waitForDelivered(sessionId, 1);
    expect(text).toBe(`${words('quoted')}\n${line(h.devin.uploads[0]?.url ?? '')}`);
  });
});

describe('a token without files:read', () => {
  it.each([
    ['a sign-in page answered with HTTP 200', 'page'],
    ['a redirect to the sign-in page', 'redirect'],
  ] as const)('recognises %s, says so in the thread and the log, and uploads nothing', async (_what, mode) => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.slack.filesReadMissing = mode;
    const file = h.slack.addFile({ name: 'screenshot.png', size: 5000, mimetype: 'image/png' });
    await share(threadTs, 'look', [file]);

    const [text] = await h.devin.waitForDelivered(sessionId, 1);
    expect(text).toBe(
      `${words('look')}\n(Could not attach "screenshot.png": Slack answered with its sign-in page instead of the file ` +
        '(the app needs the files:read scope).)',
    );
    await h.idle();
    expect(h.devin.uploads).toEqual([]);
    expect(h.slack.downloads.map((d) => d.answered)).toEqual([mode === 'page' ? 'login-page' : 'login-redirect']);
    expect(threadNotices(threadTs).join('\n')).toContain('files:read');
    const logged = await h.waitForLog((l) => String(l.msg).includes('lacks the files:read scope'));
    expect(logged.level).toBe(50);
  });
});

describe('files through a restart', () => {
  it.each([
    ['SQLite', async () => undefined],
    ['Redis', async () => freshRedisUrl(14)],
  ])(
    'uploads no file twice when the app stops half way through the files of a reply (%s)',
    async (_store, storeUrl) => {
      const url = await storeUrl();
      if (url) {
        await h.close();
        h = await Harness.start({ storeUrl: url, env: { MAX_FILE_MB: '1' } });
      }
      const first = h;
      const { sessionId, threadTs } = await first.linkedThread();
      const a = first.slack.addFile({ name: 'a.txt', content: 'first file' });
      const b = first.slack.addFile({ name: 'b.txt', content: 'second file' });
      await share(threadTs, 'two files', [a, b]);
      await first.devin.waitForUploads(1);
      // The second upload hangs until the app is stopping; then its connection breaks.
      first.devin.hangNext('POST', ATTACHMENTS);
      await waitFor(() => first.devin.requests.filter((r) => r.path === ATTACHMENTS).length === 2);
      const draining = first.running.deliverer.stop();
      first.devin.dropHung();
      await draining;
      await first.stopApp();
      expect(first.devin.delivered(sessionId)).toEqual([]);

      h = await Harness.start({
        dir: first.dir,
        slack: first.slack,
        devin: first.devin,
        env: { MAX_FILE_MB: '1' },
        ...(url ? { storeUrl: url } : {}),
      });
      try {
        const [text] = await h.devin.waitForDelivered(sessionId, 1);
        const [upA, upB] = h.devin.uploads;
        expect(h.devin.uploads.map((u) => [u.name, u.sha256])).toEqual([
          ['a.txt', sha256('first file')],
          ['b.txt', sha256('second file')],
        ]);
        expect(text).toBe([words('two files'), line(upA?.url ?? ''), line(upB?.url ?? '')].join('\n'));
        expect(h.slack.downloads.map((d) => d.id)).toEqual([a.id, b.id, b.id]);
        await h.idle();
        expect(h.devin.delivered(sessionId)).toHaveLength(1);
      } finally {
        await h.close();
        h = first;
      }
    },
  );
});

describe('files that start a session', () => {
  const createdSessions = () => h.devin.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions');

  it('uploads the files of a mention and names them in the prompt with ATTACHMENT: lines', async () => {
    const file = h.slack.addFile({ name: 'layout.png', size: 4096, mimetype: 'image/png' });
    const mention = appMentionEvent({ text: '<@UBOT> fix this layout', files: [file] });
    expect((await h.event(mention)).status).toBe(200);
    await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mention.event.ts);

    const [created] = createdSessions();
    const prompt = String(created?.body.prompt);
    const [upload] = h.devin.uploads;
    expect(upload).toMatchObject({ name: 'layout.png', size: 4096 });
    expect(prompt.split('\n').at(-1)).toBe(line(upload?.url ?? ''));
    expect(withoutOrigin(prompt.split('\nATTACHMENT:')[0])).toBe(words('fix this layout'));
    expect(createdSessions()).toHaveLength(1);
  });

  it('uploads the files of a direct message; one over the limit is named in the prompt and the thread', async () => {
    const ok = h.slack.addFile({ name: 'error.log', content: 'Traceback...' });
    const big = h.slack.addFile({ name: 'core.dump', size: 5 * 1024 * 1024 });
    const dm = messageEvent({
      channel: 'D1',
      channel_type: 'im',
      subtype: 'file_share',
      text: 'why does it crash?',
      files: [ok, big],
    });
    expect((await h.event(dm)).status).toBe(200);
    await h.slack.waitFor('chat.postMessage', (a) => a.channel === 'D1' && String(a.text).includes('Started'));
    await h.idle();

    const prompt = String(createdSessions()[0]?.body.prompt);
    expect(prompt).toContain('\n(Could not attach "core.dump": over the 1 MB limit.)\n');
    expect(prompt.endsWith(line(h.devin.uploads[0]?.url ?? ''))).toBe(true);
    expect(h.devin.uploads.map((u) => u.name)).toEqual(['error.log']);
    const told = h.slack.callsTo('chat.postMessage').filter((a) => a.thread_ts === dm.event.ts);
    expect(told.map((a) => String(a.text)).join('\n')).toContain('*core.dump*: over the 1 MB limit');
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
