import { Harness } from '../support/harness';
import { threadReply } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const POLL_MS = 5000;
const FENCE = '```';

const devinSays = (sessionId: string, eventId: string, message: string) => h.devin.say(sessionId, eventId, message);

/** Texts the app posted in the thread and Slack accepted, in order. */
function posted(threadTs: string): string[] {
  return h.slack.calls
    .filter((c) => c.method === 'chat.postMessage' && !c.failed && c.args.thread_ts === threadTs)
    .map((c) => String(c.args.text));
}

const fenceCount = (text: string) => text.split(FENCE).length - 1;
const bare = (text: string) => text.split(FENCE).join('').replace(/\s+/g, '');

it('converts Devin Markdown to Slack formatting and escapes broadcasts and mentions so they cannot ping', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  await h.poll(0);
  devinSays(
    sessionId,
    'd1',
    'I **fixed** the `parser` in [PR](https://github.com/x/y/pull/1):\n\n' +
      '```ts\nif (a < b && c) {}\n```\n\n' +
      'Hey <!channel> <!here> <@U123>!',
  );
  await h.poll(POLL_MS);

  const [text, ...others] = posted(threadTs);
  expect(others).toEqual([]);
  expect(text).toBe(
    'I *fixed* the `parser` in <https://github.com/x/y/pull/1|PR>:\n\n' +
      '```\nif (a &lt; b &amp;&amp; c) {}\n```\n\n' +
      'Hey &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt;!',
  );
  expect(text).not.toMatch(/<!|<@/);
});

it('splits a 10,000-character message into ordered posts of at most 3500 characters with balanced code fences', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  await h.poll(0);
  const prose = Array.from({ length: 28 }, (_, i) => `Paragraph ${i} explains step ${i} of the plan in plain words.`);
  const code = Array.from({ length: 80 }, (_, i) => `const value${i} = compute(${i}) + 1; // code line ${i}`);
  let markdown = `${prose.join('\n\n')}\n\n${FENCE}\n${code.join('\n')}\n${FENCE}\n\n`;
  for (let i = 0; markdown.length < 10_000; i++) markdown += `Closing remark ${i} after the code block. `;
  markdown = markdown.slice(0, 10_000).trimEnd();
  // The code block starts before the first 3500 characters end and ends after them.
  expect(markdown.indexOf(FENCE)).toBeLessThan(3400);
  expect(markdown.lastIndexOf(FENCE)).toBeGreaterThan(3600);
  devinSays(sessionId, 'long', markdown);
  await h.poll(POLL_MS);

  const chunks = posted(threadTs);
  expect(chunks.length).toBeGreaterThanOrEqual(3);
  for (const chunk of chunks) {
    expect(chunk.length).toBeLessThanOrEqual(3500);
    expect(fenceCount(chunk) % 2).toBe(0);
  }
  // The block was cut: one post closes it, the next one reopens it.
  expect(chunks.some((chunk, i) => chunk.endsWith(FENCE) && chunks[i + 1]?.startsWith(`${FENCE}\n`))).toBe(true);
  expect(bare(chunks.join(''))).toBe(bare(markdown));
});

it('waits out Slack rate limits so a burst of Devin messages arrives complete, in order and once', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  await h.poll(0);
  const burst = ['One', 'Two', 'Three', 'Four', 'Five'];
  for (const [i, text] of burst.entries()) devinSays(sessionId, `burst-${i}`, text);
  h.slack.failNext(
    'chat.postMessage',
    { status: 429, headers: { 'retry-after': '2' }, body: { ok: false, error: 'ratelimited' } },
    2,
  );
  await h.poll(POLL_MS);
  await h.poll(POLL_MS);

  expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.failed)).toHaveLength(2);
  expect(posted(threadTs)).toEqual(burst);
  expect(h.clock.sleeps).toContain(2000);
});

it('spaces posts within a channel while a post in another channel does not wait for them', async () => {
  h.slack.channels.set('C2', 'random');
  const first = await h.linkedThread('C1');
  const second = await h.linkedThread('C2');
  await h.poll(0);
  // Slack takes its time over a notice in C1: everything else for C1 has to wait for it, C2 does not.
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  h.slack.setHandler('chat.postMessage', async (args) => {
    if (String(args.text).startsWith(':loud_sound:')) await gate;
    return undefined;
  });
  const reply = h.event(threadReply(first.threadTs, 'unmute'));
  await h.slack.waitFor('chat.postMessage', (args) => String(args.text).startsWith(':loud_sound:'));
  devinSays(first.sessionId, 'c1-1', 'C1 first');
  devinSays(first.sessionId, 'c1-2', 'C1 second');
  devinSays(first.sessionId, 'c1-3', 'C1 third');
  devinSays(second.sessionId, 'c2-1', 'C2 only');
  const sleepsBefore = h.clock.sleeps.length;
  const polling = h.poll(POLL_MS);
  await h.slack.waitFor('chat.postMessage', (args) => args.text === 'C2 only');
  expect(h.clock.sleeps.length).toBe(sleepsBefore);
  expect(posted(first.threadTs).filter((text) => text.startsWith('C1'))).toEqual([]);
  release();
  await Promise.all([reply, polling]);

  expect(posted(first.threadTs)).toEqual([expect.stringMatching(/^:loud_sound:/), 'C1 first', 'C1 second', 'C1 third']);
  expect(posted(second.threadTs)).toEqual(['C2 only']);
  // C1's four posts: a short burst as Slack allows, then about one a second; never a wait of more than a second.
  const waits = h.clock.sleeps.slice(sleepsBefore);
  expect(waits.length).toBeLessThanOrEqual(3);
  for (const wait of waits) {
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000);
  }
});

it('resumes a long message where it stopped when Slack rate limits it for too long, without posting a chunk twice', async () => {
  const { sessionId, threadTs } = await h.linkedThread();
  await h.poll(0);
  const paragraphs = Array.from({ length: 3 }, (_, i) => `Part ${i + 1}: ${'word '.repeat(600)}`);
  devinSays(sessionId, 'long', paragraphs.join('\n\n'));
  // The second chunk is refused more often than the queue waits out in one poll.
  let calls = 0;
  h.slack.setHandler('chat.postMessage', (args) => {
    if (args.thread_ts !== threadTs || !String(args.text).startsWith('Part 2')) return undefined;
    calls += 1;
    return calls <= 6
      ? { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } }
      : undefined;
  });
  const accepted = () =>
    h.slack.calls
      .filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === threadTs && c.answer?.ok)
      .map((c) => String(c.args.text).slice(0, 6))
      .filter((t) => t.startsWith('Part'));
  await h.poll(POLL_MS);
  expect(accepted()).toEqual(['Part 1']);
  await h.poll(60_000);
  expect(accepted()).toEqual(['Part 1', 'Part 2', 'Part 3']);
});
