import { FakeDevin } from '../support/fake-devin';
import { patternSha256, sha256 } from '../support/file-bytes';
import { DEVIN_KEY, Harness } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  const devin = await FakeDevin.start({ apiKey: DEVIN_KEY });
  h = await Harness.start({ devin, env: { MAX_FILE_MB: '1', DEVIN_ATTACHMENT_HOSTS: devin.storageHost } });
});
afterEach(() => h.close());

/** Messages the app posted in the thread (not its root). */
const threadPosts = (threadTs: string) =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((a) => a.thread_ts === threadTs)
    .map((a) => String(a.text));

describe("Devin's attachments", () => {
  it('appear in the thread as uploaded files, after the words of the message that attaches them', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const csv = 'name,count\napples,3\n';
    const url = h.devin.serveAttachment('report.csv', { content: csv, type: 'text/csv' });
    h.devin.say(sessionId, 'ev-1', `Here is the report.\n\nATTACHMENT:"${url}"`);
    await h.poll(5000);

    const [shared] = await h.slack.waitForSharedFiles(1);
    expect(shared).toMatchObject({
      filename: 'report.csv',
      title: 'report.csv',
      length: csv.length,
      received: csv.length,
      sha256: sha256(csv),
      channel_id: 'C1',
      thread_ts: threadTs,
    });
    // The words are posted, without the ATTACHMENT: line: the file itself is shown.
    expect(threadPosts(threadTs)).toEqual(['Here is the report.']);
    const posted = h.slack.calls.find((c) => c.method === 'chat.postMessage' && c.args.thread_ts === threadTs);
    const completed = h.slack.calls.find((c) => c.method === 'files.completeUploadExternal');
    expect(posted && completed && posted.at <= completed.at).toBe(true);
    // Fetched with the key from Devin's API, then from its storage without it.
    const fetched = h.devin.requests.find((r) => r.method === 'GET' && r.path.includes('/attachments/'));
    expect(fetched?.headers.authorization).toBe(`Bearer ${DEVIN_KEY}`);
    expect(h.devin.storageReads).toEqual([expect.objectContaining({ name: 'report.csv', keyed: false })]);
    // Polled again: nothing new.
    await h.poll(5000);
    expect(h.slack.sharedFiles).toHaveLength(1);
  });

  it('shares a file sent without a length (kept aside on disk first); one on a storage host over http stays a link', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const diagram = h.devin.serveAttachment('diagram.png', { size: 200_000, type: 'image/png' });
    // The storage host is configured, but the key goes there over https only: over http it is no attachment to fetch.
    const onStorage = h.devin.storageUrl(h.devin.serveAttachment('plan.pdf', { size: 10 }));
    const chunked = h.devin.serveAttachment('build.log', { size: 70_000, chunked: true });
    h.devin.say(sessionId, 'ev-1', `The [diagram](${diagram}), the [plan](${onStorage}) and the log: ${chunked}.`);
    await h.poll(5000);

    const files = await h.slack.waitForSharedFiles(2);
    expect(files.map((f) => [f.filename, f.length, f.received, f.thread_ts])).toEqual([
      ['diagram.png', 200_000, 200_000, threadTs],
      ['build.log', 70_000, 70_000, threadTs],
    ]);
    expect(files[0]?.sha256).toBe(await patternSha256(200_000));
    expect(files[1]?.sha256).toBe(await patternSha256(70_000));
    await h.idle();
    expect(threadPosts(threadTs)[0]).toContain(onStorage);
    expect(h.devin.storageReads.map((r) => r.name)).toEqual(['diagram.png', 'build.log']);
  });

  it('posts the link with a note for a file over MAX_FILE_MB, and uploads nothing', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const url = h.devin.serveAttachment('dataset.parquet', { size: 3 * 1024 * 1024 });
    h.devin.say(sessionId, 'ev-1', `ATTACHMENT:"${url}"`);
    await h.poll(5000);
    await h.idle();

    expect(h.slack.callsTo('files.getUploadURLExternal')).toEqual([]);
    const posts = threadPosts(threadTs);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain('*dataset.parquet* (3.0 MB)');
    expect(posts[0]).toContain('over the 1 MB limit');
    expect(posts[0]).toContain(`<${url}>`);
  });

  it('posts the link with a note naming files:write when Slack refuses the upload for a missing scope', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.slack.setHandler('files.getUploadURLExternal', () => ({
      ok: false,
      error: 'missing_scope',
      needed: 'files:write',
    }));
    const url = h.devin.serveAttachment('notes.txt', { content: 'notes' });
    h.devin.say(sessionId, 'ev-1', `Notes: ${url}`);
    await h.poll(5000);
    await h.idle();

    const posts = threadPosts(threadTs);
    expect(posts[0]).toBe(`Notes: <${url}>`);
    expect(posts[1]).toContain('the app needs the files:write scope');
    expect(h.slack.sharedFiles).toEqual([]);
    expect(h.logs.some((l) => l.includes('lacks the files:write scope'))).toBe(true);
  });

  it('posts each file once when posting fails half way, resuming after what was done', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const first = h.devin.serveAttachment('one.txt', { content: 'one' });
    const second = h.devin.serveAttachment('two.txt', { content: 'two' });
    // Slack takes the first file; the second one fails for now, and so does the note about it, once.
    h.slack.setHandler('files.getUploadURLExternal', (args) =>
      args.filename === 'two.txt' ? { ok: false, error: 'internal_error' } : undefined,
    );
    let failedNote = false;
    h.slack.setHandler('chat.postMessage', (args) => {
      if (failedNote || !String(args.text).includes('could not be posted here')) return undefined;
      failedNote = true;
      return { ok: false, error: 'internal_error' };
    });
    h.devin.say(sessionId, 'ev-1', `Two files:\nATTACHMENT:"${first}"\nATTACHMENT:"${second}"`);
    await h.poll(5000);
    expect(failedNote).toBe(true);
    expect(h.slack.sharedFiles.map((f) => f.filename)).toEqual(['one.txt']);

    await h.poll(60_000);
    await h.idle();
    expect(h.slack.sharedFiles.map((f) => f.filename)).toEqual(['one.txt']);
    const posts = threadPosts(threadTs);
    expect(posts.filter((p) => p === 'Two files:')).toHaveLength(1);
    expect(posts.filter((p) => p.includes('*two.txt*') && p.includes('could not be posted here'))).toHaveLength(2);
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.failed && c.answer)).toHaveLength(3);
  });
});
