import { DEVIN_KEY, Harness } from '../support/harness';
import { Recorder } from '../support/recorder';
import { secretsAstray } from '../support/secret-places';
import { threadReply } from '../support/slack-signing';

let h: Harness;
let elsewhere: Recorder;
beforeEach(async () => {
  elsewhere = await Recorder.start();
});
afterEach(async () => {
  expect(secretsAstray(h, [elsewhere])).toEqual([]);
  await h.close();
  await elsewhere.close();
});

/** Messages the app posted in the thread (not its root). */
const threadPosts = (threadTs: string) =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((a) => a.thread_ts === threadTs)
    .map((a) => String(a.text));

describe("Devin's key", () => {
  it('goes to an attachment host over https only: a link on one over plain http is not fetched', async () => {
    h = await Harness.start({ env: { DEVIN_ATTACHMENT_HOSTS: elsewhere.host } });
    const { sessionId, threadTs } = await h.linkedThread();
    const plain = `http://${elsewhere.host}/attachments/a1/notes.txt`;
    h.devin.say(sessionId, 'ev-1', `Here are the notes: ATTACHMENT:"${plain}"`);
    await h.poll(5000);
    await h.idle();

    expect(elsewhere.connections).toBe(0);
    expect(threadPosts(threadTs).join('\n')).toContain(plain);
  });

  it('is never sent along a redirect, even to its own origin; a redirect leaves with no key', async () => {
    h = await Harness.start();
    const { sessionId } = await h.linkedThread();
    const url = h.devin.serveAttachment('report.csv', { content: 'a,b\n', type: 'text/csv' });
    h.devin.say(sessionId, 'ev-1', `ATTACHMENT:"${url}"`);
    await h.poll(5000);

    const [shared] = await h.slack.waitForSharedFiles(1);
    expect(shared?.filename).toBe('report.csv');
    const [first] = h.devin.requests.filter((r) => r.path.includes('/attachments/'));
    expect(first?.headers.authorization).toBe(`Bearer ${DEVIN_KEY}`);
    expect(h.devin.storageReads).toEqual([expect.objectContaining({ name: 'report.csv', keyed: false })]);
  });

  it.each([
    ['plain http on a loopback address', (r: Recorder) => `http://${r.host}/presigned/x`],
    ['https on a loopback address', (r: Recorder) => `https://${r.host}/presigned/x`],
    ['https on a name that resolves to loopback', (r: Recorder) => `https://localhost:${r.port}/presigned/x`],
    ['https on the cloud metadata address', () => 'https://169.254.169.254/latest/meta-data/'],
    ['https on an IPv4-mapped IPv6 loopback', (r: Recorder) => `https://[::ffff:127.0.0.1]:${r.port}/x`],
  ])('does not follow a redirect of an attachment to %s', async (_, target) => {
    h = await Harness.start({ env: { DEVIN_ATTACHMENT_HOSTS: elsewhere.host } });
    const { sessionId, threadTs } = await h.linkedThread();
    const url = h.devin.serveAttachment('secret.txt', { content: 'x' });
    h.devin.script('GET', /^\/attachments\//, [{ status: 307, headers: { location: target(elsewhere) } }]);
    h.devin.say(sessionId, 'ev-1', `ATTACHMENT:"${url}"`);
    await h.poll(5000);
    await h.idle();

    expect(elsewhere.connections).toBe(0);
    expect(h.slack.sharedFiles).toEqual([]);
    const [note] = threadPosts(threadTs);
    expect(note).toContain('Devin redirected it where the app does not follow');
  });
});

describe("Slack's bot token on file downloads", () => {
  async function shareFile(): Promise<{ sessionId: string; threadTs: string }> {
    const linked = await h.linkedThread();
    const file = h.slack.addFile({ name: 'trace.txt', content: 'Error: boom', mimetype: 'text/plain' });
    await h.event(threadReply(linked.threadTs, 'see the trace', { subtype: 'file_share', files: [file] }));
    await h.devin.waitForDelivered(linked.sessionId, 1);
    await h.idle();
    return linked;
  }

  it.each([
    ['plain http on a loopback address', (r: Recorder) => `http://${r.host}/files-pri/T1-F1/download/trace.txt`],
    ['https on a name that resolves to loopback', (r: Recorder) => `https://localhost:${r.port}/trace.txt`],
  ])('does not follow a download redirected to %s, and the words still reach Devin', async (_, target) => {
    h = await Harness.start();
    h.slack.failNextDownload({ status: 302, headers: { location: target(elsewhere) }, body: '' });
    const { sessionId } = await shareFile();

    expect(elsewhere.connections).toBe(0);
    expect(h.devin.delivered(sessionId)[0]).toContain(
      '(Could not attach "trace.txt": its download was redirected where the app does not follow.)',
    );
  });

  it('follows a redirect to its own configured origin without the token', async () => {
    h = await Harness.start();
    const moved = h.slack.addFile({ name: 'moved.txt', content: 'moved', mimetype: 'text/plain' });
    h.slack.failNextDownload({ status: 302, headers: { location: moved.url_private_download }, body: '' });
    await shareFile();

    expect(h.slack.downloads.map((d) => [d.id === moved.id, d.token ?? 'no token'])).toEqual([
      [false, expect.stringMatching(/^xoxb-/)],
      [true, 'no token'],
    ]);
  });
});
