import { CountingStore } from '../support/counting-store';
import type { FakeSessionMessage } from '../support/fake-devin';
import { Harness } from '../support/harness';

const POLL_MS = 5000;

let h: Harness;
let counting: CountingStore;
beforeEach(async () => {
  h = await Harness.start({
    wrapStore: (store) => {
      counting = new CountingStore(store);
      return counting;
    },
  });
});
afterEach(() => h.close());

const posted = (threadTs: string) =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((a) => a.thread_ts === threadTs && a.blocks === undefined)
    .map((a) => String(a.text));

function devinMessages(count: number, prefix = 'm'): FakeSessionMessage[] {
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => ({
    type: 'devin_message',
    event_id: `${prefix}-${i}`,
    message: `${prefix} ${i}`,
    timestamp: at,
  }));
}

describe('a session with thousands of messages', () => {
  it('posts each of 2,500 Devin messages once, and later polls post nothing more', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const messages = devinMessages(2500);
    h.devin.sessions.get(sessionId)?.messages.push(...messages);

    await h.poll(0);
    for (let i = 0; i < 4; i += 1) await h.poll(POLL_MS);

    const texts = posted(threadTs);
    expect(texts).toHaveLength(2500);
    expect(texts).toEqual(messages.map((m) => m.message));
    h.devin.say(sessionId, 'after', 'and one more');
    await h.poll(POLL_MS);
    await h.poll(POLL_MS);
    expect(posted(threadTs).slice(2500)).toEqual(['and one more']);
  }, 120_000);

  it('posts none of the 2,500 messages a session already had when it was linked, only the ones after', async () => {
    const existing = h.devin.addSession({ messages: devinMessages(2500, 'before') });
    const threadTs = await h.linkSession(existing.session_id);

    await h.poll(0);
    await h.poll(POLL_MS);
    h.devin.say(existing.session_id, 'after', 'said after the link');
    await h.poll(POLL_MS);
    await h.poll(POLL_MS);

    expect(posted(threadTs)).toEqual(['said after the link']);
  }, 60_000);
});

describe('what a poll reads and writes', () => {
  it('reads the watch records of the sessions that are due only, not of every watched session', async () => {
    const linked: string[] = [];
    for (let i = 0; i < 200; i += 1) linked.push((await h.linkedThread()).sessionId);
    const working = new Set(linked.slice(0, 3));
    // Sessions waiting for people back off faster than working ones: after a quiet poll of all of them, only the 3
    // working ones are due 5 seconds later. (The first poll posts notices, whose pacing moves the virtual clock.)
    for (const sessionId of linked) {
      if (!working.has(sessionId)) Object.assign(h.devin.sessions.get(sessionId) ?? {}, { status_enum: 'blocked' });
    }
    await h.poll(0);
    await h.poll(10 * 60_000);

    const from = counting.ops.length;
    const before = h.devin.requests.length;
    await h.poll(POLL_MS);

    const reads = counting.ops.slice(from).filter((o) => o.op === 'get' && o.key.startsWith('watch:'));
    expect(reads.map((o) => o.key.slice('watch:'.length)).sort()).toEqual([...working].sort());
    expect(h.devin.requests.slice(before).filter((r) => r.method === 'GET')).toHaveLength(3);
  }, 60_000);

  it('records a long message posted in chunks under its progress key, not in the watch record, chunk by chunk', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    const paragraphs = Array.from({ length: 4 }, (_, i) => `${String(i).repeat(3000)}`);
    h.devin.say(sessionId, 'long', paragraphs.join('\n\n'));

    const from = counting.ops.length;
    await h.poll(POLL_MS);

    const chunks = posted(threadTs);
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    const key = (k: string) => `${k}:${sessionId}`;
    // One record after each chunk but the last (the message's mark follows it at once), then cleared.
    expect(counting.count('set', key('watch-progress'), from)).toBe(chunks.length - 1);
    expect(counting.count('delete', key('watch-progress'), from)).toBe(1);
    // The mark after the message, then the poll's own record of its next poll.
    expect(counting.count('set', key('watch'), from)).toBe(2);
  });

  it('costs one small write on Devin side per relayed reply, never a rewrite of the watch record', async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);

    const from = counting.ops.length;
    await h.reply(threadTs, 'please add tests');
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();

    const ops = counting.ops.slice(from);
    expect(ops.filter((o) => o.key.startsWith('watch'))).toEqual([]);
    expect(ops.filter((o) => o.key.startsWith(`relayed:${sessionId}`)).map((o) => o.op)).toEqual(['index put']);
    expect(ops.filter((o) => o.key.startsWith(`poll-due:${sessionId}`)).map((o) => o.op)).toEqual(['index lower']);

    // The echo is recognised and its relayed text forgotten.
    await h.poll(POLL_MS);
    expect(posted(threadTs)).toEqual([]);
    expect(await h.store.index(`relayed:${sessionId}`).size()).toBe(0);
  });
});
