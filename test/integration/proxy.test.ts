import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { Harness } from '../support/harness';
import { RecordingProxy } from '../support/recording-proxy';

let proxy: RecordingProxy;
let h: Harness | undefined;
let socket: FakeSocketMode | undefined;
beforeEach(async () => {
  proxy = await RecordingProxy.start();
});
afterEach(async () => {
  // The app first, so that its socket closes while the fake still answers.
  await h?.close();
  h = undefined;
  await socket?.close();
  socket = undefined;
  await proxy.close();
});

const portOf = (url: string) => Number(new URL(url).port);

describe('HTTP_PROXY / HTTPS_PROXY', () => {
  it("sends the app's requests to Slack and to Devin through the proxy", async () => {
    h = await Harness.start({ env: { HTTP_PROXY: proxy.url } });
    const { sessionId, threadTs } = await h.linkedThread();
    const ts = await h.reply(threadTs, 'through the proxy');
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual(['Alice (@alice, U1) via Slack: through the proxy']);
    await h.waitForReaction(ts, 'white_check_mark');

    const slack = proxy.to(portOf(h.slack.apiUrl));
    const devin = proxy.to(portOf(h.devin.url));
    expect(slack.length).toBeGreaterThan(0);
    expect(devin.length).toBeGreaterThan(0);
    // undici's proxy agent tunnels, whatever the scheme of the address.
    expect([...slack, ...devin].every((r) => r.method === 'CONNECT')).toBe(true);
  });

  it('reads the lower-case forms too, and counts the proxy password among the secrets kept out of logs', async () => {
    const withPassword = proxy.url.replace('http://', 'http://user:proxy-pass-5150@');
    h = await Harness.start({ env: { http_proxy: withPassword, https_proxy: withPassword } });
    const { sessionId, threadTs } = await h.linkedThread();
    await h.reply(threadTs, 'lower case');
    await h.devin.waitForDelivered(sessionId, 1);
    expect(proxy.to(portOf(h.devin.url)).length).toBeGreaterThan(0);
    expect(h.config.secrets).toContain('proxy-pass-5150');
  });

  it('goes straight to the hosts NO_PROXY names', async () => {
    h = await Harness.start({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } });
    const { sessionId, threadTs } = await h.linkedThread();
    await h.reply(threadTs, 'direct');
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual(['Alice (@alice, U1) via Slack: direct']);
    expect(proxy.requests).toEqual([]);
  });

  it("opens Socket Mode's WebSocket through the proxy", async () => {
    socket = await FakeSocketMode.start();
    const slack = await FakeSlack.start();
    slack.socketUrl = socket.url;
    h = await Harness.start({
      slack,
      env: { SLACK_APP_TOKEN: 'xapp-1-test', SLACK_SIGNING_SECRET: '', HTTP_PROXY: proxy.url },
    });
    const session = h.devin.addSession();
    await h.linkSessionOverSocket(socket, session.session_id);
    expect(proxy.to(portOf(socket.url))).toEqual([expect.objectContaining({ method: 'CONNECT' })]);
    expect(proxy.to(portOf(slack.apiUrl)).length).toBeGreaterThan(0);
  });
});

describe('redirects behind a proxy', () => {
  async function redirectAttachmentTo(location: string): Promise<string> {
    h = await Harness.start({ env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } });
    const { sessionId, threadTs } = await h.linkedThread();
    const url = h.devin.serveAttachment('secret.txt', { content: 'x' });
    h.devin.script('GET', /^\/attachments\//, [{ status: 307, headers: { location } }]);
    h.devin.say(sessionId, 'ev-1', `ATTACHMENT:"${url}"`);
    await h.poll(5000);
    await h.idle();
    return threadTs;
  }

  it('checks the name of a host the configuration does not name before the proxy is asked to reach it', async () => {
    const threadTs = await redirectAttachmentTo('https://localhost:9/presigned/x');
    expect(proxy.requests.filter((r) => r.target.startsWith('localhost'))).toEqual([]);
    expect(h?.slack.sharedFiles).toEqual([]);
    const notes = h?.slack.callsTo('chat.postMessage').filter((a) => a.thread_ts === threadTs) ?? [];
    expect(notes.map((a) => String(a.text)).join('\n')).toContain('Devin redirected it where the app does not follow');
  });

  it('sends a redirect to a public https host through the proxy, not around it', async () => {
    await redirectAttachmentTo('https://files.example.invalid/presigned/x');
    expect(proxy.requests).toContainEqual(
      expect.objectContaining({ method: 'CONNECT', target: 'files.example.invalid:443' }),
    );
  });
});
