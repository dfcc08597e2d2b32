import { join } from 'node:path';
import { expectSketchIn } from '../support/doc-sketch';
import { Harness } from '../support/harness';
import { appMentionEvent, nextTs, threadReply } from '../support/slack-signing';
import { sketchThread } from '../support/thread-sketch';

const README = join(__dirname, '..', '..', 'README.md');
/** The session id the picture shows (the fake Devin makes a new one each run). */
const SHOWN_ID = '0123456789abcdef0123456789abcdef';
const LONG_MS = 10 * 60_000;

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ devinVersion: 'v3' });
});
afterEach(() => h.close());

describe("the README's picture of a thread", () => {
  it('is what the app posts for a mention, a reply, an aside and Devin answering with a pull request', async () => {
    const mention = appMentionEvent({
      text: '<@UBOT> the login test fails on CI about once in ten runs, please fix it',
    });
    const threadTs: string = mention.event.ts;
    const people = [{ name: 'Alice', ts: threadTs, text: String(mention.event.text), after: h.slack.calls.length }];
    await h.event(mention);
    await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === threadTs);
    const [session] = [...h.devin.sessions.values()];
    if (!session) throw new Error('no session was started');
    session.title = 'Fix the flaky login test';
    await h.poll(0);

    const reply = {
      name: 'Bob',
      ts: nextTs(),
      text: 'it only fails when the cache is cold',
      after: h.slack.calls.length,
    };
    people.push(reply);
    await h.event(threadReply(threadTs, reply.text, { user: 'U2', ts: reply.ts }));
    await h.devin.waitForDelivered(session.session_id, 1);
    const aside = {
      name: 'Alice',
      ts: nextTs(),
      text: "(aside) I'll review it after standup",
      after: h.slack.calls.length,
    };
    people.push(aside);
    await h.event(threadReply(threadTs, aside.text, { ts: aside.ts }));
    await h.idle();

    h.devin.say(
      session.session_id,
      'answer-1',
      'Found it: the test reads the session cookie before the cache is warm. The fix waits for it; **should I also add a retry?**',
    );
    h.devin.setState(session.session_id, 'waiting');
    Object.assign(session, {
      acus_consumed: 1.5,
      pull_requests: [{ pr_url: 'https://github.com/acme/web/pull/42', pr_state: 'open' }],
    });
    await h.poll(LONG_MS);
    await h.idle();

    const delivered = h.devin.delivered(session.session_id);
    expect(delivered).toEqual([`Bob (@bob, U2) via Slack: ${reply.text}`]);
    const hex = session.session_id.replace(/^devin-/, '');
    const drawn = `${sketchThread({
      channel: 'C1',
      channelName: 'general',
      threadTs,
      people,
      calls: h.slack.calls,
      names: { UBOT: 'Devin', U1: 'Alice', U2: 'Bob' },
      fixed: (text) => text.replaceAll(hex, SHOWN_ID),
    })}\n\nDevin received the reply as: ${delivered.join('\n')}\n`;
    expectSketchIn(README, 'thread-sketch', drawn);
  });
});
