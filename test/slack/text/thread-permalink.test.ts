import { parseThreadPermalink, threadPermalink } from '../../../src/slack/text/thread-permalink';

const PARENT = 'https://acme.slack.com/archives/C123ABC/p1358546515000008';
const REPLY = 'https://acme.slack.com/archives/C123ABC/p1358546517000023?thread_ts=1358546515.000008&cid=C123ABC';
const THREAD = { channel: 'C123ABC', threadTs: '1358546515.000008' };

describe('parseThreadPermalink', () => {
  it('reads the thread from a parent message permalink', () => {
    expect(parseThreadPermalink(PARENT)).toEqual(THREAD);
  });

  it('reads the parent thread from a reply permalink', () => {
    expect(parseThreadPermalink(REPLY)).toEqual(THREAD);
  });

  it('reads a reply permalink whose query Slack has escaped', () => {
    const escaped =
      'https://acme.slack.com/archives/C123ABC/p1358546517000023?cid=C123ABC&amp;thread_ts=1358546515.000008';
    expect(parseThreadPermalink(escaped)).toEqual(THREAD);
  });

  it.each([`<${PARENT}>`, `<${PARENT}|the thread>`, `<${REPLY.replace('&', '&amp;')}|reply>`, `  ${PARENT}\n`])(
    'accepts the wrapped or padded permalink %j',
    (input) => {
      expect(parseThreadPermalink(input)).toEqual(THREAD);
    },
  );

  it('accepts a trailing slash', () => {
    expect(parseThreadPermalink(`${PARENT}/`)).toEqual(THREAD);
  });

  it('accepts private channel, direct message and enterprise grid permalinks', () => {
    expect(parseThreadPermalink('https://acme.slack.com/archives/G01ABC/p1358546515000008')).toEqual({
      channel: 'G01ABC',
      threadTs: '1358546515.000008',
    });
    expect(parseThreadPermalink('https://acme.slack.com/archives/D01ABC/p1358546515000008')?.channel).toBe('D01ABC');
    expect(parseThreadPermalink('https://acme.enterprise.slack.com/archives/C123ABC/p1358546515000008')).toEqual(
      THREAD,
    );
  });

  it('ignores unrelated query parameters and fragments', () => {
    expect(parseThreadPermalink(`${PARENT}?utm_source=x#top`)).toEqual(THREAD);
  });

  it.each([
    ['plain http', PARENT.replace('https:', 'http:')],
    ['a foreign host', 'https://acme.example.com/archives/C123ABC/p1358546515000008'],
    ['a look-alike host', 'https://acme.slack.com.evil.io/archives/C123ABC/p1358546515000008'],
    ['a host merely ending in slack.com', 'https://evilslack.com/archives/C123ABC/p1358546515000008'],
    ['an app client URL', 'https://app.slack.com/client/T0123ABC/C123ABC'],
    ['a channel URL', 'https://acme.slack.com/archives/C123ABC'],
    ['a lowercase channel id', 'https://acme.slack.com/archives/c123abc/p1358546515000008'],
    ['a user id instead of a channel', 'https://acme.slack.com/archives/U123ABC/p1358546515000008'],
    ['a non-numeric timestamp', 'https://acme.slack.com/archives/C123ABC/p13585465150000x8'],
    ['a timestamp that is too short', 'https://acme.slack.com/archives/C123ABC/p123456'],
    ['a malformed thread_ts', `${PARENT}?thread_ts=yesterday`],
    ['a thread_ts without microseconds', `${PARENT}?thread_ts=1358546515`],
    ['a nested path', `${PARENT}/extra`],
    ['a session id', 'devin-0123456789abcdef0123456789abcdef'],
    ['an empty string', ''],
    ['empty brackets', '<>'],
    ['an unclosed bracket', `<${PARENT}`],
    ['a very long input', `${PARENT}?x=${'a'.repeat(5000)}`],
  ])('rejects %s', (_, input) => {
    expect(parseThreadPermalink(input)).toBeUndefined();
  });

  it('rejects non-strings at runtime', () => {
    expect(parseThreadPermalink(null as unknown as string)).toBeUndefined();
  });
});

describe('threadPermalink', () => {
  const thread = { team: 'T1', ...THREAD };

  it("links a thread in the workspace's own address, which reads back as the same thread", () => {
    const link = threadPermalink(thread, 'https://acme.slack.com/');
    expect(link).toBe(PARENT);
    expect(parseThreadPermalink(link)).toEqual(THREAD);
  });

  it.each([undefined, '', 'http://acme.slack.com/', 'https://evil.example/'])(
    "links Slack's web client when the workspace's address is %j",
    (workspaceUrl) => {
      expect(threadPermalink(thread, workspaceUrl)).toBe(
        'https://app.slack.com/client/T1/C123ABC/thread/C123ABC-1358546515.000008',
      );
    },
  );
});
