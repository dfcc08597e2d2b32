import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { Harness } from '../support/harness';
import { type Json, threadReply } from '../support/slack-signing';

/** A message as long as people write them, with words only a log that holds message bodies would show. */
const filler = 'more words about the build and what it needs, '.repeat(12);
const personText = `pasted-early ${filler} pasted-late`;
const devinText = `devin-early ${filler} devin-late`;

let h: Harness;
let socket: FakeSocketMode | undefined;

afterEach(async () => {
  await h.close();
  await socket?.close();
  socket = undefined;
});

const entries = () => h.logs.map((line) => JSON.parse(line) as Json);

/** A person's reply relayed to Devin, and Devin's answer posted back in the thread. */
async function relayBothWays(threadTs: string, sessionId: string, send: (payload: Json) => Promise<void>) {
  await send(threadReply(threadTs, personText));
  await h.devin.waitForDelivered(sessionId, 1);
  h.devin.say(sessionId, 'ev-answer', devinText);
  await h.poll(10_000);
  await h.slack.waitFor('chat.postMessage', (args) => String(args.text).includes('devin-late'));
  await h.idle();
}

it('keeps message bodies out of info and above, and logs at most a short prefix of them at debug (HTTP)', async () => {
  h = await Harness.start({ env: { LOG_LEVEL: 'debug' } });
  const { sessionId, threadTs } = await h.linkedThread();

  await relayBothWays(threadTs, sessionId, async (payload) => {
    expect((await h.event(payload)).status).toBe(200);
  });

  const logs = entries();
  expect(logs.filter((entry) => entry.level === 20).length).toBeGreaterThan(0);
  for (const entry of logs) {
    const line = JSON.stringify(entry);
    expect(line).not.toContain('pasted-late');
    expect(line).not.toContain('devin-late');
    if (entry.level >= 30) {
      expect(line).not.toContain('pasted-early');
      expect(line).not.toContain('devin-early');
    }
  }
});

it('keeps message bodies out of the log entirely at info', async () => {
  h = await Harness.start({ env: { LOG_LEVEL: 'info' } });
  const { sessionId, threadTs } = await h.linkedThread();

  await relayBothWays(threadTs, sessionId, async (payload) => {
    expect((await h.event(payload)).status).toBe(200);
  });

  expect(h.logs.length).toBeGreaterThan(0);
  for (const marker of ['pasted-early', 'pasted-late', 'devin-early', 'devin-late']) {
    expect(h.logs.filter((line) => line.includes(marker))).toEqual([]);
  }
});

it('logs at most a short prefix of the envelopes Socket Mode receives', async () => {
  socket = await FakeSocketMode.start();
  const slack = await FakeSlack.start();
  slack.socketUrl = socket.url;
  h = await Harness.start({
    slack,
    env: { SLACK_APP_TOKEN: 'xapp-1-test', SLACK_SIGNING_SECRET: '', LOG_LEVEL: 'debug' },
  });
  const session = h.devin.addSession();
  const threadTs = await h.linkSessionOverSocket(socket, session.session_id);
  const connected = socket;

  await relayBothWays(threadTs, session.session_id, async (payload) => {
    await connected.waitForAck(connected.sendEvent(payload));
  });

  expect(h.logs.some((line) => line.includes('Received a message on the WebSocket'))).toBe(true);
  expect(h.logs.filter((line) => line.includes('pasted-late') || line.includes('devin-late'))).toEqual([]);
});
