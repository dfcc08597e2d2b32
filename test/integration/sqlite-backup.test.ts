import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createStore } from '../../src/store/create-store';
import { Harness } from '../support/harness';

// One process per SQLite file is enforced by a lock file beside it, so SQLite's own tools can read the database while
// the app runs: `sqlite3 .backup` (and Litestream) take a consistent copy without stopping anything.

const SQLITE3 = '/usr/bin/sqlite3';
const run = promisify(execFile);

let h: Harness | undefined;
let restored: Harness | undefined;
afterEach(async () => {
  await restored?.stopApp();
  await h?.close();
  h = undefined;
  restored = undefined;
});

const describeWithSqlite3 = existsSync(SQLITE3) ? describe : describe.skip;

describeWithSqlite3('a backup taken with the sqlite3 CLI while the app runs', () => {
  it('restores into a store the app opens, with its bindings and the replies it holds', async () => {
    h = await Harness.start();
    const file = join(h.dir, 'store.sqlite');
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.pause(sessionId);
    const held = await h.reply(threadTs, 'held while the session sleeps');
    await h.waitForReaction(held, 'double_vertical_bar');
    await h.idle();

    const backup = join(h.dir, 'backup.sqlite');
    await run(SQLITE3, [file, `.backup '${backup}'`], { timeout: 10_000 });
    // The app was not held up: it still writes (a new binding).
    await h.linkedThread();

    restored = await Harness.start({ slack: h.slack, devin: h.devin, storeUrl: `sqlite://${backup}` });
    await restored.command(`status ${sessionId}`, { response_url: h.slack.responseUrl('status-after-restore') });
    const status = await h.slack.waitForResponse((r) => r.name === 'status-after-restore');
    expect(String(status.body.text)).toContain('Replies waiting for delivery: 1 (held while asleep: 1, failed: 0)');

    // The restored binding routes a reply in the thread to its session, after the reply it held, in order.
    h.devin.resume(sessionId);
    await restored.reply(threadTs, 'after the restore');
    expect(await h.devin.waitForDelivered(sessionId, 2)).toEqual([
      'Alice (@alice, U1) via Slack: held while the session sleeps',
      'Alice (@alice, U1) via Slack: after the restore',
    ]);
  });

  it('refuses a second opening of the database while the app holds it, even after a backup', async () => {
    h = await Harness.start();
    const url = `sqlite://${join(h.dir, 'store.sqlite')}`;
    await run(SQLITE3, [join(h.dir, 'store.sqlite'), `.backup '${join(h.dir, 'copy.sqlite')}'`], { timeout: 10_000 });
    await expect(createStore(url)).rejects.toThrow(/another process is already using .*STORE_URL=redis:\/\//);
  });
});
