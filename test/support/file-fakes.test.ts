import { webApi } from '@slack/bolt';
import { FakeDevin } from './fake-devin';
import { FakeSlack } from './fake-slack';
import { patternSha256, sha256 } from './file-bytes';

describe('FakeSlack files', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await FakeSlack.start();
    slack.fileToken = 'xoxb-right';
  });
  afterEach(() => slack.close());

  const download = (url: string, token?: string) =>
    fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });

  it('serves a file to the bot token, and its sign-in page to any other, or to a token without files:read', async () => {
    const file = slack.addFile({ name: 'a.txt', content: 'hello', mimetype: 'text/plain' });
    const ok = await download(file.url_private_download, 'xoxb-right');
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([200, 'text/plain', 'hello']);
    const wrong = await download(file.url_private_download, 'xoxb-wrong');
    expect([wrong.status, wrong.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await wrong.text()).toContain('Sign in');
    slack.filesReadMissing = 'redirect';
    const redirected = await download(file.url_private_download, 'xoxb-right');
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toMatch(/\/\?redir=%2Ffiles-pri%2F/);
    expect(slack.downloads.map((d) => d.answered)).toEqual(['file', 'login-page', 'login-redirect']);
  });

  it('makes a large file as it is sent, and scripts download failures', async () => {
    const file = slack.addFile({ name: 'big.bin', size: 3_000_000 });
    slack.failNextDownload({ status: 503, body: 'busy' });
    expect((await download(file.url_private_download, 'xoxb-right')).status).toBe(503);
    const res = await download(file.url_private_download, 'xoxb-right');
    expect(res.headers.get('content-length')).toBe('3000000');
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(await patternSha256(3_000_000));
  });

  it('takes a file through the external upload flow and records it with its channel and thread', async () => {
    const client = new webApi.WebClient('xoxb-right', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const ticket = await client.files.getUploadURLExternal({ filename: 'r.csv', length: 4 });
    const posted = await fetch(String(ticket.upload_url), { method: 'POST', body: 'a,b\n' });
    expect(posted.status).toBe(200);
    await client.files.completeUploadExternal({
      files: [{ id: String(ticket.file_id), title: 'r.csv' }],
      channel_id: 'C1',
      thread_ts: '1.000001',
    });
    expect(slack.sharedFiles).toEqual([
      expect.objectContaining({
        filename: 'r.csv',
        title: 'r.csv',
        length: 4,
        received: 4,
        sha256: sha256('a,b\n'),
        channel_id: 'C1',
        thread_ts: '1.000001',
      }),
    ]);
  });
});

describe('FakeDevin attachments', () => {
  let devin: FakeDevin;
  beforeEach(async () => {
    devin = await FakeDevin.start();
  });
  afterEach(() => devin.close());

  it('takes a multipart upload with the key and answers its URL as plain text (or as a JSON string)', async () => {
    const upload = (key: string) => {
      const form = new FormData();
      form.append('file', new Blob(['data']), 'notes.md');
      return fetch(`${devin.url}/v1/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
    };
    expect((await upload('apk_wrong')).status).toBe(401);
    const answer = await upload('apk_test_key');
    const url = await answer.text();
    expect(url).toMatch(new RegExp(`^${devin.url}/attachments/[0-9a-f-]+/notes\\.md$`));
    expect(devin.uploads).toEqual([
      expect.objectContaining({ name: 'notes.md', size: 4, sha256: sha256('data'), url }),
    ]);
    devin.quoteAttachmentUrls = true;
    expect(JSON.parse(await (await upload('apk_test_key')).text())).toBe(devin.uploads[1]?.url);
  });

  it('serves an attachment through a redirect to a bucket that refuses the key', async () => {
    const url = devin.serveAttachment('a.txt', { content: 'abc', type: 'text/plain' });
    expect((await fetch(url)).status).toBe(401);
    const redirect = await fetch(url, { headers: { authorization: 'Bearer apk_test_key' }, redirect: 'manual' });
    expect(redirect.status).toBe(307);
    const location = String(redirect.headers.get('location'));
    expect((await fetch(location, { headers: { authorization: 'Bearer apk_test_key' } })).status).toBe(400);
    const file = await fetch(location);
    expect([file.status, await file.text()]).toEqual([200, 'abc']);
    expect(devin.storageReads.map((r) => r.keyed)).toEqual([true, false]);
  });
});
