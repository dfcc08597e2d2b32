import { join } from 'node:path';
import Database from 'better-sqlite3';
import { recordFigure } from '../support/figures';
import { Harness } from '../support/harness';
import { threadReply } from '../support/slack-signing';

// The real app on a real SQLite file, whose writes SQLite itself refuses: a trigger aborts the insert of a reply, as a
// full disk or a broken file would fail it. Nothing of our code is replaced.
let h: Harness;
afterEach(() => h?.close());

const words = (text: string) => `Alice (@alice, U1) via Slack: ${text}`;
const resendAsks = () =>
  h.slack.callsTo('chat.postMessage').filter((args) => String(args.text).includes("I couldn't record that reply"));

/** A second connection on the app's file (as an operator's `sqlite3` would be): what is committed, and the trigger. */
function beside(): Database.Database {
  return new Database(join(h.dir, 'store.sqlite'));
}

function refuseReplies(when: string): void {
  const db = beside();
  db.exec(`CREATE TRIGGER refuse_replies BEFORE INSERT ON replies WHEN ${when}
    BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
  db.close();
}

function acceptReplies(): void {
  const db = beside();
  db.exec('DROP TRIGGER refuse_replies');
  db.close();
}

/** Rows and claims of these messages on disk (claims are keyed by the message's ts). */
function onDisk(tss: string[]): { replies: number; claims: number } {
  const db = beside();
  try {
    const replies = tss.filter((ts) => db.prepare('SELECT 1 FROM replies WHERE id LIKE ?').get(`%${ts}`)).length;
    const claims = tss.filter((ts) => db.prepare('SELECT 1 FROM claims WHERE key LIKE ?').get(`%${ts}`)).length;
    return { replies, claims };
  } finally {
    db.close();
  }
}

it('answers every reply of a failed write 500, writes nothing of them, and records each when Slack sends it again', async () => {
  h = await Harness.start();
  const { sessionId, threadTs } = await h.linkedThread();
  refuseReplies('1');
  const texts = ['one', 'two', 'three', 'four', 'five', 'six'];
  const payloads = texts.map((text) => threadReply(threadTs, text));
  const answers = await Promise.all(payloads.map((payload) => h.event(payload)));
  expect(answers.map((a) => a.status)).toEqual(texts.map(() => 500));
  const tss = payloads.map((p) => String((p.event as { ts: string }).ts));
  // No claim without its reply: a claim left behind would make Slack's retry a "duplicate", and the reply lost.
  expect(onDisk(tss)).toEqual({ replies: 0, claims: 0 });
  await h.idle();
  expect(h.devin.delivered(sessionId)).toEqual([]);
  expect(resendAsks()).toEqual([]);

  acceptReplies();
  for (const payload of payloads)
    expect((await h.event(payload, { retryNum: 1, retryReason: 'http_error' })).status).toBe(200);
  expect(await h.devin.waitForDelivered(sessionId, texts.length)).toEqual(texts.map(words));
  await h.idle();
  expect(h.devin.delivered(sessionId)).toHaveLength(texts.length);
});

it('fails the replies that shared a batch with a refused one, acknowledges none of them, and loses none', async () => {
  h = await Harness.start();
  const { sessionId, threadTs } = await h.linkedThread();
  refuseReplies(`json_extract(NEW.body, '$.draft.text') = 'poison'`);
  const texts = ['poison', ...Array.from({ length: 11 }, (_, i) => `sent together ${i + 1}`)];
  const payloads = texts.map((text) => threadReply(threadTs, text));
  const tss = payloads.map((p) => String((p.event as { ts: string }).ts));
  const answers = await Promise.all(payloads.map((payload) => h.event(payload)));
  const statuses = answers.map((a) => a.status);
  expect(statuses[0]).toBe(500);
  expect(statuses.every((status) => status === 200 || status === 500)).toBe(true);
  const failed = tss.filter((_, i) => statuses[i] === 500);
  const acknowledged = texts.filter((_, i) => statuses[i] === 200);
  recordFigure('replies failed with a refused one in their batch', failed.length - 1, { sent: texts.length });
  // What was answered 500 left nothing behind; what was answered 200 is on disk or already with Devin.
  expect(onDisk(failed)).toEqual({ replies: 0, claims: 0 });
  await h.devin.waitForDelivered(sessionId, acknowledged.length);
  await h.idle();
  expect([...h.devin.delivered(sessionId)].sort()).toEqual(acknowledged.map(words).sort());

  // Slack sends each failed one again: the person's reply goes through; the refused one fails again, and on Slack's
  // last try its author is asked to send it again.
  for (const [i, payload] of payloads.entries()) {
    if (statuses[i] !== 500) continue;
    const retry = await h.event(payload, { retryNum: 3, retryReason: 'http_error' });
    expect(retry.status).toBe(i === 0 ? 500 : 200);
  }
  await h.devin.waitForDelivered(sessionId, texts.length - 1);
  await h.idle();
  const delivered = h.devin.delivered(sessionId);
  expect(delivered).toHaveLength(texts.length - 1);
  expect([...delivered].sort()).toEqual(texts.slice(1).map(words).sort());
  expect(resendAsks()).toHaveLength(1);
});
