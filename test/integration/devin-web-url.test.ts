import { Harness } from '../support/harness';

const WEB = 'https://devin.internal.example';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ env: { DEVIN_WEB_URL: `${WEB}/` } });
});
afterEach(() => h.close());

const hexOf = (sessionId: string) => sessionId.replace(/^devin-/, '');

describe('DEVIN_WEB_URL', () => {
  it("points a thread's notices at Devin's web app as configured", async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    const ts = await h.reply(threadTs, 'for later');
    await h.waitForReaction(ts, 'double_vertical_bar');
    await h.idle();
    const posted = h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === threadTs);
    const text = JSON.stringify(posted.map((c) => c.args));
    expect(text).toContain(`${WEB}/sessions/${hexOf(sessionId)}`);
    expect(text).not.toContain('app.devin.ai');
  });

  it('links a session named by its address on that web app', async () => {
    const session = h.devin.addSession();
    const hex = hexOf(session.session_id);
    await h.command(`link ${WEB}/sessions/${hex}`, { response_url: h.slack.responseUrl('link') });
    await h.slack.waitForResponse((r) => r.name === 'link');
    const root = h.slack.calls.find((c) => c.method === 'chat.postMessage' && String(c.args.text).includes(hex));
    const threadTs = String(root?.answer?.ts);
    await h.reply(threadTs, 'hello from the other address');
    expect(await h.devin.waitForDelivered(session.session_id, 1)).toEqual([
      'Alice (@alice, U1) via Slack: hello from the other address',
    ]);
  });
});
