/**
 * What SQLite's group commit saves: the real app (in this process, on a SQLite file, against the fake Slack and fake
 * Devin) takes thread replies over HTTP, `--concurrency` at a time, spread over `--threads` bound threads; the
 * figures are counted by the store itself and by /metrics over the measured replies only:
 * - writes per reply (each was a commit of its own before group commit) and commits per reply (now), time per commit;
 * - store calls per reply in all (`/metrics`), and those of a lone reply in all;
 * then, on a fresh file, the time of a commit that carries one write against one that carries 20.
 * Usage: `npx tsx bench/sqlite-commits.ts [--replies 600] [--threads 20] [--concurrency 32]`.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { Harness } from '../test/support/harness';
import { threadReply } from '../test/support/slack-signing';

const { values } = parseArgs({
  options: {
    replies: { type: 'string', default: '600' },
    threads: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
  },
});
const REPLIES = Number(values.replies);
const THREADS = Number(values.threads);
const CONCURRENCY = Number(values.concurrency);

/** The sum of every series of a counter or histogram part in a /metrics text. */
function total(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function scrape(h: Harness): Promise<string> {
  return (await fetch(`${h.baseUrl}/metrics`)).text();
}

async function underLoad(): Promise<void> {
  const h = await Harness.start({ env: { LOG_LEVEL: 'error' } });
  try {
    const db = (h.store as SqliteStore).db;
    const threads: Array<{ sessionId: string; threadTs: string }> = [];
    for (let i = 0; i < THREADS; i += 1) threads.push(await h.linkedThread());
    await h.idle();

    // A lone reply first.
    const lone = threads[0];
    if (!lone) throw new Error('no thread');
    const beforeLone = await scrape(h);
    await h.reply(lone.threadTs, 'a lone reply');
    await h.devin.waitForDelivered(lone.sessionId, 1, 10_000);
    await h.idle();
    const afterLone = await scrape(h);
    const loneAll =
      total(afterLone, 'devin_slack_store_operation_duration_seconds_count') -
      total(beforeLone, 'devin_slack_store_operation_duration_seconds_count');

    const before = { ...db.commitStats };
    const beforeText = await scrape(h);
    const started = performance.now();
    let next = 0;
    const send = async () => {
      while (next < REPLIES) {
        const i = next++;
        const thread = threads[i % threads.length];
        if (!thread) continue;
        const res = await h.event(threadReply(thread.threadTs, `load ${i}`));
        if (res.status !== 200) throw new Error(`reply answered ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, send));
    const acked = performance.now() - started;
    for (const [i, thread] of threads.entries()) {
      const expected = Math.floor(REPLIES / THREADS) + (i < REPLIES % THREADS ? 1 : 0) + (i === 0 ? 1 : 0);
      await h.devin.waitForDelivered(thread.sessionId, expected, 60_000);
    }
    await h.idle();
    const elapsed = performance.now() - started;
    const after = db.commitStats;
    const afterText = await scrape(h);
    const writes = after.writes - before.writes;
    const commits = after.commits - before.commits;
    const commitMs = after.commitMs - before.commitMs;
    const calls =
      total(afterText, 'devin_slack_store_operation_duration_seconds_count') -
      total(beforeText, 'devin_slack_store_operation_duration_seconds_count');
    console.log(`app under load: ${REPLIES} replies over ${THREADS} threads, ${CONCURRENCY} at a time`);
    console.log(`  acknowledged in ${acked.toFixed(0)} ms, all delivered in ${elapsed.toFixed(0)} ms`);
    console.log(`  writes per reply (commits per reply without group commit): ${(writes / REPLIES).toFixed(2)}`);
    console.log(`  commits per reply with group commit: ${(commits / REPLIES).toFixed(2)}`);
    console.log(`  writes per commit: ${(writes / commits).toFixed(2)}`);
    console.log(`  time per commit: ${((commitMs / commits) * 1000).toFixed(1)} µs`);
    console.log(`  store calls per reply (all, /metrics): ${(calls / REPLIES).toFixed(2)}`);
    console.log(`a lone reply: ${loneAll} store calls in all (its delivery, receipts, the poll it brings forward)`);
  } finally {
    await h.close();
  }
}

/** The time of a commit carrying one write, and of one carrying `batch` writes issued in the same turn. */
async function commitCost(batch: number, rounds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'devin-slack-commits-'));
  const store = await SqliteStore.open(join(dir, 'store.sqlite'));
  try {
    for (const perCommit of [1, batch]) {
      const before = { ...store.db.commitStats };
      const started = performance.now();
      for (let round = 0; round < rounds; round += 1) {
        await Promise.all(
          Array.from({ length: perCommit }, (_, i) =>
            store.set(`bench:${perCommit}:${round}:${i}`, { words: 'x'.repeat(200) }),
          ),
        );
      }
      const wall = performance.now() - started;
      const stats = store.db.commitStats;
      const commits = stats.commits - before.commits;
      const commitMs = stats.commitMs - before.commitMs;
      console.log(
        `${perCommit} write(s) per commit: ${((commitMs / commits) * 1000).toFixed(1)} µs per COMMIT, ` +
          `${((wall / (rounds * perCommit)) * 1000).toFixed(1)} µs per write in all`,
      );
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await underLoad();
  await commitCost(20, 500);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
