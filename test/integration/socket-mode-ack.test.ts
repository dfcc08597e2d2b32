import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { Harness } from '../support/harness';
import { QueueValve } from '../support/queue-valve';
import { type Json, slashCommand, threadReply } from '../support/slack-signing';

let socket: FakeSocketMode;
let h: Harness;
let valve: QueueValve;

beforeEach(async () => {
  socket = await FakeSocketMode.start();
  const slack = await FakeSlack.start();
  slack.socketUrl = socket.url;
  valve = new QueueValve();
  h = await Harness.start({
    slack,
    env: { SLACK_APP_TOKEN: 'xapp-1-test', SLACK_SIGNING_SECRET: '' },
    wrapQueue: (queue) => valve.wrap(queue),
  });
});

afterEach(async () => {
  valve.release();
  await h.close();
  await socket.close();
});

async function linkedThread(): Promise<{ sessionId: string; threadTs: string }> {
  const session = h.devin.addSession();
  return { sessionId: session.session_id, threadTs: await h.linkSessionOverSocket(socket, session.session_id) };
}

const messagePosts = (sessionId: string) =>
  h.devin.requests.filter((r) => r.method === 'POST' && r.path === `/v1/sessions/${sessionId}/message`);

const unacknowledged = (eventId: string) => (entry: Json) =>
  entry.level === 40 && String(entry.msg).includes(`event ${eventId} `) && String(entry.msg).includes('unacknowledged');

describe('Socket Mode acknowledgements', () => {
  it('acknowledges a reply in a bound thread once it is recorded, and relays it to the session once', async () => {
    const { sessionId, threadTs } = await linkedThread();
    valve.hold();

    const envelopeId = socket.sendEvent(threadReply(threadTs, 'ack me after you wrote me down'));
    await valve.recording;
    await socket.expectNoAck(envelopeId, 100);
    valve.release();

    expect((await socket.waitForAck(envelopeId)).payload).toEqual({});
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([
      'Alice (@alice, U1) via Slack: ack me after you wrote me down',
    ]);
    await h.idle();
    expect(messagePosts(sessionId)).toHaveLength(1);
  });

  it('leaves a reply that could not be recorded unacknowledged, and relays its redelivery once when the store is back', async () => {
    const { sessionId, threadTs } = await linkedThread();
    const reply = threadReply(threadTs, 'do not lose me');

    valve.down = true;
    const first = socket.sendEvent(reply);
    const warning = await h.waitForLog(unacknowledged(reply.event_id));
    expect(warning.msg).toBe(`event ${reply.event_id} (retry 0) left unacknowledged, so that Slack sends it again`);
    await socket.expectNoAck(first);
    expect(h.devin.delivered(sessionId)).toEqual([]);

    valve.down = false;
    const again = socket.sendEvent(reply, { retryAttempt: 1, retryReason: 'timeout' });
    await socket.waitForAck(again);
    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual(['Alice (@alice, U1) via Slack: do not lose me']);
    await h.idle();
    expect(messagePosts(sessionId)).toHaveLength(1);
    expect(socket.ackOf(first)).toBeUndefined();
    const warnings = h.logs.map((line) => JSON.parse(line) as Json).filter(unacknowledged(reply.event_id));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain(String(reply.token));
  });

  it('acknowledges a slash command at once, while its work is still going on', async () => {
    const session = h.devin.addSession();
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.slack.setHandler('chat.postMessage', async () => {
      await released;
      return undefined;
    });

    const sentAt = Date.now();
    const envelopeId = socket.sendCommand(
      slashCommand({ text: `link ${session.session_id}`, response_url: h.slack.responseUrl('link') }),
    );
    const ack = await socket.waitForAck(envelopeId);
    expect(ack.at - sentAt).toBeLessThan(1000);
    await h.slack.waitFor('chat.postMessage');
    expect(h.slack.responses).toEqual([]);

    release();
    expect((await h.slack.waitForResponse((r) => r.name === 'link')).body.text).toContain('Linked');
  });

  it('relays an event once when Slack delivers it again after a lost acknowledgement', async () => {
    const { sessionId, threadTs } = await linkedThread();
    const reply = threadReply(threadTs, 'only once please');

    await socket.waitForAck(socket.sendEvent(reply));
    await h.devin.waitForDelivered(sessionId, 1);
    await socket.waitForAck(socket.sendEvent(reply, { retryAttempt: 1, retryReason: 'timeout' }));
    await h.idle();

    expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: only once please']);
    expect(messagePosts(sessionId)).toHaveLength(1);
  });
});
