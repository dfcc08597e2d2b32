import { webApi } from '@slack/bolt';
import { FakeSlack } from './fake-slack';
import { limitBreach, responseBreach } from './slack-limits';
import { takeRefusals, takeUnexpected } from './strict-slack';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const breach = (method: string, args: object) => limitBreach(method, args as Record<string, unknown>);

describe('limitBreach: what real Slack refuses', () => {
  it('refuses a chat.update text over 4,000 characters (msg_too_long), counted in UTF-16 code units', () => {
    expect(breach('chat.update', { text: 'x'.repeat(4000) })).toBeUndefined();
    expect(breach('chat.update', { text: '😀'.repeat(2001) })).toEqual({
      error: 'msg_too_long',
      refused: true,
      limits: ['chat.update: text 4,002 characters (at most 4,000)'],
    });
    expect(breach('chat.postMessage', { text: 'x'.repeat(40_000) })).toBeUndefined();
    expect(breach('chat.postMessage', { text: 'x'.repeat(40_001) })?.error).toBe('msg_too_long');
  });

  it('refuses blocks past Block Kit limits with invalid_blocks, naming each', () => {
    expect(breach('chat.postMessage', { text: 'x', blocks: [section('x'.repeat(3001))] })).toEqual({
      error: 'invalid_blocks',
      refused: true,
      limits: ['chat.postMessage: block 0 (section) text: 3001 characters (at most 3000)'],
    });
    const many = Array.from({ length: 51 }, () => section('x'));
    expect(breach('chat.postMessage', { text: 'x', blocks: many })?.limits).toEqual([
      'chat.postMessage: 51 blocks (at most 50 in a message)',
    ]);
    const header = { type: 'header', text: { type: 'mrkdwn', text: 'h' } };
    expect(breach('chat.postMessage', { text: 'x', blocks: [header] })?.limits).toEqual([
      'chat.postMessage: block 0 (header) text: must be plain_text',
    ]);
    const twice = [
      { ...section('a'), block_id: 'b' },
      { ...section('b'), block_id: 'b' },
    ];
    expect(breach('chat.postMessage', { text: 'x', blocks: twice })?.limits).toEqual([
      'chat.postMessage: block_id repeats (each is unique within a message or view)',
    ]);
    const emoji = { type: 'section', text: { type: 'mrkdwn', text: 'x', emoji: true } };
    expect(breach('chat.postMessage', { text: 'x', blocks: [emoji] })?.limits).toEqual([
      'chat.postMessage: block 0 (section) text: emoji is only for plain_text',
    ]);
  });

  it('refuses about 13,000 characters of block text in one message (msg_blocks_too_long)', () => {
    const blocks = Array.from({ length: 5 }, () => section('x'.repeat(2700)));
    expect(breach('chat.postMessage', { text: 'x', blocks })).toMatchObject({ error: 'msg_blocks_too_long' });
  });

  it('refuses markdown_text beside text, and over 12,000 characters', () => {
    expect(breach('chat.postMessage', { markdown_text: 'a', text: 'b' })?.error).toBe('invalid_arguments');
    expect(breach('chat.postMessage', { markdown_text: 'a'.repeat(12_001) })?.error).toBe('msg_too_long');
  });

  it('takes blocks without the text fallback, but flags them (notifications show nothing)', () => {
    expect(breach('chat.postMessage', { blocks: [section('x')] })).toMatchObject({ refused: false });
  });

  it('refuses metadata without event_type and event_payload', () => {
    expect(breach('chat.postMessage', { text: 'x', metadata: { event_type: 'e' } })?.error).toBe(
      'invalid_metadata_format',
    );
  });

  it('refuses a view over 250 kB with view_too_large, and a modal title over 24 characters', () => {
    const blocks = Array.from({ length: 90 }, () => section('é'.repeat(2900)));
    expect(breach('views.publish', { view: { type: 'home', blocks } })?.error).toBe('view_too_large');
    const modal = { type: 'modal', title: { type: 'plain_text', text: 't'.repeat(25) }, blocks: [] };
    expect(breach('views.open', { view: modal })).toEqual({
      error: 'invalid_arguments',
      refused: true,
      limits: ['views.open: modal title: 25 characters (at most 24)'],
    });
  });

  it('refuses a reaction named with colons or capitals (invalid_name)', () => {
    expect(breach('reactions.add', { name: 'eyes' })).toBeUndefined();
    expect(breach('reactions.add', { name: ':eyes:' })?.error).toBe('invalid_name');
    expect(breach('reactions.remove', { name: 'Eyes' })?.error).toBe('invalid_name');
  });

  it('refuses uploads of no bytes, and a thread_ts with other than one channel', () => {
    expect(breach('files.getUploadURLExternal', { filename: 'a', length: 0 })?.error).toBe('missing_argument');
    expect(breach('files.completeUploadExternal', { files: [], channels: 'C1,C2', thread_ts: '1.1' })?.error).toBe(
      'invalid_arguments',
    );
    expect(breach('files.completeUploadExternal', { files: [], channel_id: 'C1', thread_ts: '1.1' })).toBeUndefined();
  });

  it('refuses more than 10 loading messages', () => {
    const loading_messages = Array.from({ length: 11 }, (_, i) => `m${i}`);
    expect(breach('assistant.threads.setStatus', { status: 's', loading_messages })?.error).toBe('invalid_arguments');
  });

  it('checks a response_url body as a message', () => {
    expect(responseBreach({ text: 'x', blocks: [section('')] })?.limits).toEqual([
      'response_url: block 0 (section) text: empty',
    ]);
  });
});

describe('FakeSlack refuses what Slack refuses', () => {
  let slack: FakeSlack;
  let client: webApi.WebClient;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(() => slack.close());

  it("answers a call past a limit with Slack's error, records it, and hands it to the test that expected it", async () => {
    await expect(client.chat.update({ channel: 'C1', ts: '1.1', text: 'x'.repeat(4001) })).rejects.toMatchObject({
      data: { ok: false, error: 'msg_too_long' },
    });
    const [refusal, ...others] = slack.takeRefusals();
    expect(others).toEqual([]);
    expect(refusal).toMatchObject({ method: 'chat.update', error: 'msg_too_long' });
    expect(slack.calls.at(-1)?.refusal?.limits).toEqual(['chat.update: text 4,001 characters (at most 4,000)']);
    expect(slack.takeRefusals()).toEqual([]);
  });

  it('answers a response_url body past a limit with HTTP 400', async () => {
    const answer = await fetch(slack.responseUrl('r'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x', blocks: Array.from({ length: 51 }, () => section('x')) }),
    });
    expect(answer.status).toBe(400);
    expect(slack.takeRefusals()).toMatchObject([{ method: 'response_url', error: 'invalid_blocks' }]);
  });

  it('fails the test that made a call past a limit, naming the call and the limit', async () => {
    await client.reactions.add({ channel: 'C1', timestamp: '1.1', name: ':eyes:' }).catch(() => undefined);
    expect(takeUnexpected()).toBe(
      'The strict fake Slack saw 1 call(s) real Slack would not take:\n' +
        '  reactions.add refused with invalid_name: reactions.add: ":eyes:" is no emoji name (lowercase, without colons)',
    );
    expect(takeRefusals(slack.port)).toEqual([]);
  });
});
