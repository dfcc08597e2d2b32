import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { MAX_BODY_BYTES } from '../../src/slack/intake/request-body';
import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { Harness, SIGNING_SECRET } from '../support/harness';
import { relayedWords } from '../support/relayed-words';
import { blockAction, type Json, postRaw, signBody, threadReply } from '../support/slack-signing';

const FAILED = 'Something went wrong on my side';

let h: Harness;
let socket: FakeSocketMode | undefined;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeEach(() => {
  rejections.length = 0;
  process.on('unhandledRejection', onRejection);
});

afterEach(async () => {
  process.off('unhandledRejection', onRejection);
  // The app first, then Slack's socket: an app whose socket drops first keeps trying to reconnect for a while.
  await h?.close();
  await socket?.close();
  socket = undefined;
});

const errorLines = () => h.logs.map((line) => JSON.parse(line) as Json).filter((entry) => entry.level >= 50);

/** POSTs a signed body in chunks with no content-length (chunked encoding), as a client that streams it would. */
function postChunked(url: string, body: Buffer, chunkBytes: number): Promise<number> {
  const headers = {
    'content-type': 'application/json',
    ...signBody(SIGNING_SECRET, body.toString()),
  };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    let at = 0;
    const writeMore = () => {
      while (at < body.length) {
        const chunk = body.subarray(at, at + chunkBytes);
        at += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', writeMore);
          return;
        }
      }
      req.end();
    };
    writeMore();
  });
}

describe('body size', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it('refuses a signed body announced over 1 MB with 413, relays nothing of it, and goes on relaying', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const huge = threadReply(threadTs, 'hidden in a huge body', { padding: 'x'.repeat(MAX_BODY_BYTES) });

    const refused = await h.event(huge);
    expect(refused.status).toBe(413);
    await h.reply(threadTs, 'a normal reply');

    expect((await h.devin.waitForDelivered(sessionId, 1)).map(relayedWords)).toEqual(['a normal reply']);
    await h.idle();
    expect(h.devin.delivered(sessionId)).toHaveLength(1);
  });

  it('refuses a chunked body that grows past 1 MB with 413 while it is still arriving', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const body = Buffer.from(
      JSON.stringify(threadReply(threadTs, 'streamed forever', { padding: 'y'.repeat(2 * MAX_BODY_BYTES) })),
    );

    expect(await postChunked(h.eventsUrl, body, 64 * 1024)).toBe(413);
    await h.reply(threadTs, 'after the stream');
    expect((await h.devin.waitForDelivered(sessionId, 1)).map(relayedWords)).toEqual(['after the stream']);
    expect(h.logs.some((line) => line.includes('refused a request body over the size limit'))).toBe(true);
  });

  it('takes a signed body just under the limit, chunked or not', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const padding = 'z'.repeat(MAX_BODY_BYTES - 4096);

    expect((await h.event(threadReply(threadTs, 'big but fine', { padding }))).status).toBe(200);
    const chunked = Buffer.from(JSON.stringify(threadReply(threadTs, 'big and chunked', { padding })));
    expect(await postChunked(h.eventsUrl, chunked, 100_000)).toBe(200);

    expect((await h.devin.waitForDelivered(sessionId, 2)).map(relayedWords)).toEqual([
      'big but fine',
      'big and chunked',
    ]);
  });
});

describe('malformed payloads over HTTP', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });

  it.each([
    ['JSON null', 'null', 'application/json'],
    ['a JSON number', '42', 'application/json'],
    ['a JSON string', '"event"', 'application/json'],
    ['a JSON array', '[{"event":{}}]', 'application/json'],
    ['a form whose payload is null', 'payload=null', 'application/x-www-form-urlencoded'],
  ])('answers a signed body of %s with 400, without an unhandled rejection', async (_, body, contentType) => {
    const answer = await postRaw(h.eventsUrl, SIGNING_SECRET, body, contentType);

    expect(answer.status).toBe(400);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    await h.idle();
    expect(rejections).toEqual([]);
  });

  it.each([
    ['an event that is null', { event: null }],
    ['an event that is a string', { event: 'message' }],
    ['authorizations of the wrong shape', { event: { type: 'message' }, authorizations: [null] }],
    ['actions that are a number', { actions: 5 }],
  ])('answers a signed payload with %s, which Bolt cannot route, with 200 and logs why once', async (_, payload) => {
    const answer = await h.event({ token: 'x', team_id: 'T1', type: 'event_callback', ...payload });

    expect(answer.status).toBe(200);
    expect(errorLines().map((entry) => entry.msg)).toEqual([
      'a payload could not be handled; Slack is told it arrived',
    ]);
    expect(rejections).toEqual([]);
  });

  it('acknowledges a button press whose handling fails, and tells the person in one sentence', async () => {
    const press = blockAction({ response_url: h.slack.responseUrl('broken-press') });
    delete press.user;

    const answer = await h.action(press);
    expect(answer.status).toBe(200);
    const told = await h.slack.waitForResponse((r) => r.name === 'broken-press');
    expect(told.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining(FAILED) });
    expect(errorLines()).toHaveLength(1);
  });

  // Found by the payload fuzz: the Resend work failed on a value of the wrong type, and telling the person then threw
  // (no response_url, so Bolt gives no respond), as an unhandled rejection.
  it('acknowledges a Resend press with no response_url whose work fails, and lets nothing escape', async () => {
    const press = blockAction({ actions: [{ value: { not: 'a session id' } }] });
    delete press.response_url;

    expect((await h.action(press)).status).toBe(200);
    await h.waitForLog((entry) => entry.msg === 'Resend failed');
    await h.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rejections).toEqual([]);
    expect(h.logs.some((line) => line.includes('could not tell the person'))).toBe(true);
  });

  it('acknowledges at once a button nothing listens to', async () => {
    const press = blockAction({ response_url: h.slack.responseUrl(), actions: [{ action_id: 'open_in_devin' }] });
    const answer = await h.action(press);
    expect(answer.status).toBe(200);
    expect(errorLines()).toEqual([]);
  });
});

describe('malformed envelopes over Socket Mode', () => {
  let connected: FakeSocketMode;

  beforeEach(async () => {
    connected = await FakeSocketMode.start();
    socket = connected;
    const slack = await FakeSlack.start();
    slack.socketUrl = connected.url;
    h = await Harness.start({ slack, env: { SLACK_APP_TOKEN: 'xapp-1-test', SLACK_SIGNING_SECRET: '' } });
  });

  it.each([
    ['a body that is null', 'events_api', null],
    ['an event that is null', 'events_api', { type: 'event_callback', event: null }],
    ['a body of no known kind', 'events_api', { hello: 'there' }],
    ['an interaction that is a string', 'interactive', 'block_actions'],
  ])(
    'acknowledges an envelope with %s, so that Slack does not send it again, and keeps going',
    async (_, type, body) => {
      const session = h.devin.addSession();
      const threadTs = await h.linkSessionOverSocket(connected, session.session_id);

      const envelopeId = randomUUID();
      connected.send({ envelope_id: envelopeId, type, accepts_response_payload: false, payload: body });
      await connected.waitForAck(envelopeId);
      await connected.waitForAck(connected.sendEvent(threadReply(threadTs, 'still listening')));

      expect((await h.devin.waitForDelivered(session.session_id, 1)).map(relayedWords)).toEqual(['still listening']);
      expect(rejections).toEqual([]);
    },
  );
});
