import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, appEnv } from '../support/app-process';
import { FakeDevin } from '../support/fake-devin';
import { FakeSlack } from '../support/fake-slack';
import { recordFigure } from '../support/figures';
import { DEVIN_KEY } from '../support/harness';
import { threadReply } from '../support/slack-signing';

// The real app in a child process on one SQLite file, killed with SIGKILL at each point of a reply's life.
jest.setTimeout(45_000);

const MESSAGE_PATH = '/v1/sessions/:id/message';
/** After a crash, the next start delivers what was waiting within this (leases in the file are dropped at start). */
const RESUME_BOUND_MS = 10_000;

let slack: FakeSlack;
let devin: FakeDevin;
let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  slack = await FakeSlack.start();
  devin = await FakeDevin.start({ apiKey: DEVIN_KEY });
  dir = mkdtempSync(join(tmpdir(), 'devin-slack-crash-'));
  env = appEnv(slack, devin, `sqlite://${join(dir, 'store.sqlite')}`);
});

afterEach(async () => {
  await AppProcess.killAll();
  await slack.close();
  await devin.close();
  rmSync(dir, { recursive: true, force: true });
});

const words = (text: string) => `Alice (@alice, U1) via Slack: ${text}`;

/** Message POSTs Devin received carrying `text`, whatever their answer. */
function postsOf(text: string): number {
  return devin.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/message') && r.body?.message === text)
    .length;
}

/** A fresh fake session bound to a new thread through `/devin link` on `app`. */
async function boundThread(app: AppProcess): Promise<{ sessionId: string; threadTs: string }> {
  const sessionId = devin.addSession().session_id;
  return { sessionId, threadTs: await app.linkSession(slack, sessionId) };
}

async function crash(app: AppProcess): Promise<void> {
  app.kill('SIGKILL');
  const exit = await app.exited;
  expect(exit.signal).toBe('SIGKILL');
}

/**
 * Waits for the one delivery of `text` after a restart and returns how long it took from the restart's spawn: the
 * accepted POST is the last one carrying the text (the fake records each request as it arrives).
 */
async function resumedDelivery(app: AppProcess, sessionId: string, text: string): Promise<number> {
  await devin.waitForDelivered(sessionId, 1, RESUME_BOUND_MS + 5_000);
  const post = devin.requests.filter((r) => r.method === 'POST' && r.body?.message === text).at(-1);
  if (!post) throw new Error(`no POST of ${text} was recorded`);
  return post.at - app.spawnedAt;
}

/**
 * Exactly once: a later reply in the same thread is delivered behind the first (one session drains in order), and
 * nothing else arrived in between or before.
 */
async function expectOnlyOnce(app: AppProcess, sessionId: string, threadTs: string, delivered: string): Promise<void> {
  await app.waitForLog((l) => l.msg === 'reply delivered' || l.msg.startsWith('reply found in the session'));
  const { answer } = await app.reply(threadTs, 'after the restart');
  expect(answer.status).toBe(200);
  expect(await devin.waitForDelivered(sessionId, 2, 10_000)).toEqual([delivered, words('after the restart')]);
  expect(devin.delivered(sessionId)).toHaveLength(2);
}

describe.each([
  ['as the event arrives', 'arrived'],
  ['just after recording the reply', 'recorded'],
] as const)('when the process dies %s', (_when, point) => {
  it('delivers the reply once after a restart, and Slack sending the event again changes nothing', async () => {
    const first = await AppProcess.start(env);
    const { sessionId, threadTs } = await boundThread(first);
    const text = `killed once ${point}`;
    // Bob, whom the app has not looked up yet (Alice ran the link command).
    const payload = threadReply(threadTs, text, { user: 'U2' });
    if (point === 'recorded')
      slack.setHandler('users.info', (args) => (args.user === 'U2' ? new Promise(() => undefined) : undefined));

    const answered = first.event(payload).then(
      (res) => res.status,
      (error: Error) => error.message,
    );
    if (point === 'arrived') {
      await new Promise((resolve) => setImmediate(resolve));
    } else {
      // Recorded, and waiting for Slack to name its author (which Slack does not do yet): nothing sent to Devin.
      await first.waitForLog((l) => l.msg === 'reply recorded');
      await slack.waitFor('users.info', (args) => args.user === 'U2');
    }
    await crash(first);
    slack.clearHandler('users.info');
    const firstAnswer = await answered;
    if (point === 'arrived') expect(firstAnswer).not.toBe(200);
    expect(postsOf(`Bob (@bob, U2) via Slack: ${text}`)).toBe(0);
    const recordedBeforeDeath = first.logged('reply recorded').length > 0;

    const next = await AppProcess.start(env);
    // Slack sends the event again when no 200 reached it (and the app must not mind a retry after a 200 either).
    const retry = await next.event(payload, { retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    const resumedMs = await resumedDelivery(next, sessionId, `Bob (@bob, U2) via Slack: ${text}`);
    recordFigure(`sqlite restart, killed ${point}`, resumedMs, {
      startMs: next.startMs,
      recordedBeforeDeath,
      firstAnswer,
    });
    expect(resumedMs).toBeLessThan(RESUME_BOUND_MS);
    await expectOnlyOnce(next, sessionId, threadTs, `Bob (@bob, U2) via Slack: ${text}`);
  });
});

it('delivers a recorded reply once within seconds of a restart when the process died while retrying', async () => {
  const first = await AppProcess.start(env);
  const { sessionId, threadTs } = await boundThread(first);
  devin.script(
    'POST',
    MESSAGE_PATH,
    Array.from({ length: 100 }, () => ({ status: 503, body: { detail: 'overloaded' } })),
  );

  const { answer } = await first.reply(threadTs, 'killed while retrying');
  expect(answer.status).toBe(200);
  await first.waitForLog((l) => l.msg === 'delivery failed; retrying');
  await crash(first);
  expect(devin.delivered(sessionId)).toEqual([]);

  devin.reset(); // Devin is healthy again: the 503s left in the script are dropped.
  const next = await AppProcess.start(env);
  const resumedMs = await resumedDelivery(next, sessionId, words('killed while retrying'));
  recordFigure('sqlite restart, killed while retrying', resumedMs, { startMs: next.startMs });
  expect(resumedMs).toBeLessThan(RESUME_BOUND_MS);
  await expectOnlyOnce(next, sessionId, threadTs, words('killed while retrying'));
});

it('delivers a reply once after the process died while its request to Devin was open and not taken', async () => {
  const first = await AppProcess.start(env);
  const { sessionId, threadTs } = await boundThread(first);
  devin.hangNext('POST', MESSAGE_PATH);

  const { answer } = await first.reply(threadTs, 'killed mid-request');
  expect(answer.status).toBe(200);
  await devin.waitForRequest('POST', MESSAGE_PATH, 10_000);
  await crash(first);
  expect(devin.delivered(sessionId)).toEqual([]);

  const next = await AppProcess.start(env);
  const resumedMs = await resumedDelivery(next, sessionId, words('killed mid-request'));
  recordFigure('sqlite restart, killed mid-request (not taken)', resumedMs, { startMs: next.startMs });
  expect(resumedMs).toBeLessThan(RESUME_BOUND_MS);
  await expectOnlyOnce(next, sessionId, threadTs, words('killed mid-request'));
  expect(next.logged('reply found in the session after an uncertain attempt; not sending it again')).toEqual([]);
});

it('does not send a reply again after a restart when Devin took it but the process died before its answer', async () => {
  const first = await AppProcess.start(env);
  const { sessionId, threadTs } = await boundThread(first);
  const text = words('taken, then the process died');
  devin.hangNext('POST', MESSAGE_PATH, { thenDeliver: true });

  const { answer } = await first.reply(threadTs, 'taken, then the process died');
  expect(answer.status).toBe(200);
  await devin.waitForDelivered(sessionId, 1, 10_000);
  await crash(first);

  const next = await AppProcess.start(env);
  const found = await next.waitForLog(
    (l) => l.msg === 'reply found in the session after an uncertain attempt; not sending it again',
    RESUME_BOUND_MS + 5_000,
  );
  const resumedMs = found.time - next.spawnedAt;
  recordFigure('sqlite restart, Devin took it before the crash (found, not resent)', resumedMs, {
    startMs: next.startMs,
  });
  expect(resumedMs).toBeLessThan(RESUME_BOUND_MS);
  await expectOnlyOnce(next, sessionId, threadTs, words('taken, then the process died'));
  expect(postsOf(text)).toBe(1);
});

it('keeps every reply of a batch Slack got its 200s for when the process dies right after, and delivers each once', async () => {
  const first = await AppProcess.start(env);
  const { sessionId, threadTs } = await boundThread(first);
  const texts = Array.from({ length: 12 }, (_, i) => `acknowledged together ${i + 1}`);
  // Sent at once, as Slack does with a busy thread; the process dies as soon as the last 200 is read.
  const answers = await Promise.all(texts.map((text) => first.reply(threadTs, text)));
  await crash(first);
  expect(answers.map(({ answer }) => answer.status)).toEqual(texts.map(() => 200));
  const beforeDeath = devin.delivered(sessionId).length;

  const next = await AppProcess.start(env);
  await devin.waitForDelivered(sessionId, texts.length, RESUME_BOUND_MS + 5_000);
  recordFigure('sqlite restart after a batch of 200s: all delivered', Date.now() - next.spawnedAt, {
    replies: texts.length,
    deliveredBeforeDeath: beforeDeath,
  });
  // Every acknowledged reply, each once (they arrived together: in whatever order they were recorded), and nothing
  // else: a reply sent after them arrives right behind them.
  const { answer } = await next.reply(threadTs, 'after the restart');
  expect(answer.status).toBe(200);
  const delivered = await devin.waitForDelivered(sessionId, texts.length + 1, 10_000);
  expect(delivered).toHaveLength(texts.length + 1);
  expect(delivered.at(-1)).toBe(words('after the restart'));
  expect(delivered.slice(0, -1).sort()).toEqual(texts.map(words).sort());
});

it('refuses at once to start a second process on the same SQLite file, and the first keeps working', async () => {
  const first = await AppProcess.start(env);
  const { sessionId, threadTs } = await boundThread(first);

  const second = await AppProcess.spawn(env);
  const exit = await second.exited;
  recordFigure('second process on the same SQLite file refused', exit.afterMs);
  expect(exit.code).not.toBe(0);
  expect(exit.code).not.toBeNull();
  expect(exit.afterMs).toBeLessThan(5_000);
  expect(second.output.join('\n')).toContain('STORE_URL=redis://');
  expect(second.logged('devin-slack is ready')).toEqual([]);

  const { answer } = await first.reply(threadTs, 'the first one still works');
  expect(answer.status).toBe(200);
  expect(await devin.waitForDelivered(sessionId, 1, 10_000)).toEqual([words('the first one still works')]);
  expect(first.running).toBe(true);
});

it('stops on SIGTERM within seconds while a request to Devin hangs, and the next start delivers it once', async () => {
  const first = await AppProcess.start(env);
  const { sessionId, threadTs } = await boundThread(first);
  devin.hangNext('POST', MESSAGE_PATH);

  const { answer } = await first.reply(threadTs, 'in flight at shutdown');
  expect(answer.status).toBe(200);
  await devin.waitForRequest('POST', MESSAGE_PATH, 10_000);
  first.kill('SIGTERM');
  const exit = await first.exited;
  recordFigure('SIGTERM with a request to Devin hanging: exit', exit.afterMs, { code: exit.code });
  expect(exit).toEqual({ code: 0, signal: null, afterMs: expect.any(Number) });
  expect(exit.afterMs).toBeLessThan(7_500);
  expect(devin.delivered(sessionId)).toEqual([]);

  const next = await AppProcess.start(env);
  const resumedMs = await resumedDelivery(next, sessionId, words('in flight at shutdown'));
  recordFigure('sqlite restart after SIGTERM mid-request', resumedMs, { startMs: next.startMs });
  expect(resumedMs).toBeLessThan(RESUME_BOUND_MS);
  await expectOnlyOnce(next, sessionId, threadTs, words('in flight at shutdown'));
});
