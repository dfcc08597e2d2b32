import { App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { StoreError } from '../../../src/relay/ports/store';
import { boltLogger } from '../../../src/slack/intake/bolt-logger';
import { containFailures, FAILED_SENTENCE, UnknownPayloadError } from '../../../src/slack/intake/contain-failures';
import { captureLog } from '../../support/capture-log';
import { FakeSlack } from '../../support/fake-slack';
import { blockAction, type Json, slashCommand, threadReply } from '../../support/slack-signing';

let slack: FakeSlack;
let app: App;
let logged: ReturnType<typeof captureLog>;

/** Bolt's App needs a receiver; these tests hand payloads to `containFailures` themselves. */
const noReceiver: Receiver = { init: () => undefined, start: async () => undefined, stop: async () => undefined };

beforeEach(async () => {
  slack = await FakeSlack.start();
  logged = captureLog();
  app = new App({
    token: 'xoxb-contain',
    receiver: noReceiver,
    logger: boltLogger(logged.log),
    clientOptions: { slackApiUrl: slack.apiUrl },
    deferInitialization: true,
  });
  app.error(async (error) => {
    throw error;
  });
  await app.init();
});

afterEach(() => slack.close());

/** Hands `body` to `containFailures` as a receiver would; resolves with what was acknowledged, and how it ended. */
async function process(body: unknown, unknown: 'reject' | 'acknowledge' = 'reject') {
  const acks: unknown[] = [];
  const event = { body, ack: async (response?: unknown) => void acks.push(response ?? null) } as ReceiverEvent;
  const outcome = await containFailures(app, { log: logged.log, unknown })
    .processEvent(event)
    .then(
      () => 'resolved',
      (error: unknown) => error,
    );
  return { acks, outcome };
}

const errors = () => logged.lines.filter((line) => line.level >= 50);

describe('a failure that is not a store outage', () => {
  it('answers a command that failed before its ack with the sentence, as its ack, and logs the error once', async () => {
    app.command('/devin', async () => {
      throw new TypeError('a bug');
    });

    const { acks, outcome } = await process(slashCommand());
    expect(outcome).toBe('resolved');
    expect(acks).toEqual([{ response_type: 'ephemeral', text: FAILED_SENTENCE }]);
    expect(errors()).toEqual([expect.objectContaining({ err: expect.objectContaining({ message: 'a bug' }) })]);
  });

  it('tells the person through the response_url when a command failed after its ack', async () => {
    app.command('/devin', async ({ ack }) => {
      await ack();
      throw new Error('after the ack');
    });

    const { acks, outcome } = await process(slashCommand({ response_url: slack.responseUrl('late') }));
    expect(outcome).toBe('resolved');
    expect(acks).toEqual([null]);
    const told = await slack.waitForResponse((r) => r.name === 'late');
    expect(told.body).toMatchObject({ response_type: 'ephemeral', text: FAILED_SENTENCE });
  });

  it('acknowledges a button press whose listener failed, and tells the person', async () => {
    app.action('resend_held', async () => {
      throw new Error('no ack, no answer');
    });

    const { acks, outcome } = await process(blockAction({ response_url: slack.responseUrl('press') }));
    expect(outcome).toBe('resolved');
    expect(acks).toEqual([null]);
    expect((await slack.waitForResponse((r) => r.name === 'press')).body.text).toBe(FAILED_SENTENCE);
  });

  it('resolves for an event whose listener failed, so that Slack is answered 200', async () => {
    app.event('message', async () => {
      throw new RangeError('listener trouble');
    });

    const { acks, outcome } = await process(threadReply('1700000000.000100', 'hello'));
    expect(outcome).toBe('resolved');
    expect(acks).toEqual([null]);
    expect(errors()).toHaveLength(1);
  });
});

describe('a store outage', () => {
  it('rejects with the StoreError, even when Bolt wraps it with another listener failure, and logs it once', async () => {
    const outage = new StoreError('store get failed for thread:x', 'get', 'thread:x');
    app.event('message', async () => {
      throw outage;
    });
    app.event('message', async () => {
      throw new Error('another listener');
    });

    const { outcome } = await process(threadReply('1700000000.000100', 'keep me'));
    expect(outcome).toBe(outage);
    expect(errors().map((line) => (line.err as Json).type)).toEqual(['StoreError']);
  });

  it('rejects for a command whose listener hit the outage (Slack shows the person its own error)', async () => {
    const outage = new StoreError('store set failed', 'set', 'start:x', { cause: new Error('ECONNREFUSED') });
    app.command('/devin', async () => {
      throw new Error('could not start', { cause: outage });
    });

    expect((await process(slashCommand())).outcome).toBe(outage);
  });
});

describe('payloads nobody acknowledged', () => {
  it('rejects a payload Bolt cannot type with UnknownPayloadError over HTTP, and acknowledges it over Socket Mode', async () => {
    const junk: Json = { hello: 'there', type: 'event_callback' };

    const overHttp = await process(junk, 'reject');
    expect(overHttp.outcome).toBeInstanceOf(UnknownPayloadError);
    expect(overHttp.acks).toEqual([]);
    const overSocket = await process(junk, 'acknowledge');
    expect(overSocket).toEqual({ acks: [null], outcome: 'resolved' });
  });

  it('acknowledges a command or button no listener took, without telling anyone', async () => {
    expect(await process(slashCommand({ command: '/other' }))).toEqual({ acks: [null], outcome: 'resolved' });
    expect(await process(blockAction({ actions: [{ action_id: 'nobody' }] }))).toEqual({
      acks: [null],
      outcome: 'resolved',
    });
    expect(errors()).toEqual([]);
  });
});
