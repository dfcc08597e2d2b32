/**
 * What watching many v3 sessions costs, measured on the real app (a child process running the current sources) against
 * the fake Devin and the fake Slack over real HTTP, in real time, with the production settings (change feed every 5 s,
 * safety poll once an hour):
 * - Devin calls per minute while every session is quiet (by route: the feed's list, reads of one session);
 * - then news in a few sessions, one every 2 s: from Devin's message to its post in Slack, p50 and p99;
 * - the app's resident memory and the size of its SQLite store.
 * The sessions are watched as a running deployment leaves them (bound, read, due at their safety poll; the feed's mark
 * stored): what a steady state costs, not the first minute after linking.
 * Usage: `npm run bench:watch [-- --sessions 100,200,1000 --idle-seconds 60 --news 10]`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FEED_MARK_KEY } from '../src/relay/ports/store-keys';
import { createStore } from '../src/store/create-store';
import { AppProcess, appEnv } from '../test/support/app-process';
import { FakeDevin } from '../test/support/fake-devin';
import { FakeSlack } from '../test/support/fake-slack';
import { seedWatches } from '../test/support/feed-rounds';
import { DEVIN_ORG, DEVIN_V3_TOKEN } from '../test/support/harness';
import { residentMemory } from '../test/support/process-memory';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100,200,1000' },
    'idle-seconds': { type: 'string', default: '60' },
    news: { type: 'string', default: '10' },
  },
});
const counts = String(values.sessions).split(',').map(Number);
const idleSeconds = Number(values['idle-seconds']);
const newsCount = Number(values.news);

const LIST = 'GET /v3/organizations/:org/sessions';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${Math.round(bytes / 1024)} kB`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function storeBytes(file: string): number {
  return ['', '-wal', '-shm'].reduce((sum, suffix) => {
    try {
      return sum + statSync(`${file}${suffix}`).size;
    } catch {
      return sum;
    }
  }, 0);
}

/** Calls per minute over `ms`, split into the feed's lists and everything else. */
function perMinute(devin: FakeDevin, since: number, ms: number) {
  const calls = devin.callsByRoute(since);
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  const list = calls[LIST] ?? 0;
  const scale = 60_000 / ms;
  return { total: total * scale, list: list * scale, reads: (total - list) * scale };
}

async function run(n: number) {
  const slack = await FakeSlack.start();
  const devin = await FakeDevin.start({ apiKey: DEVIN_V3_TOKEN, version: 'v3', orgId: DEVIN_ORG });
  const dir = mkdtempSync(join(tmpdir(), 'devin-slack-bench-watch-'));
  const file = join(dir, 'store.sqlite');
  let app: AppProcess | undefined;
  try {
    // Quiet sessions: the last change of each was minutes to days ago.
    const start = Date.now() - 10 * 60_000;
    const sessions = Array.from({ length: n }, (_, i) => {
      const at = new Date(start - i * 97_000).toISOString();
      const session = devin.addSession({ created_at: at, updated_at: at });
      devin.say(session.session_id, `old-${i}`, `An earlier message of session ${i}`, { quietly: true });
      return session.session_id;
    });
    const store = await createStore(`sqlite://${file}`);
    await seedWatches(store, devin, sessions, Date.now());
    await store.set(FEED_MARK_KEY, { mark: Math.floor(start / 1000) * 1000 });
    await store.close();

    app = await AppProcess.start(
      appEnv(slack, devin, `sqlite://${file}`, { DEVIN_API_KEY: DEVIN_V3_TOKEN, LOG_LEVEL: 'info' }),
    );
    await sleep(5_000);
    const idleSince = devin.requests.length;
    await sleep(idleSeconds * 1000);
    const idle = perMinute(devin, idleSince, idleSeconds * 1000);
    const idleRss = residentMemory(app.child.pid as number).rss;

    // News in a few sessions, one every 2 s, each at a random moment of the feed's interval.
    const newsSince = devin.requests.length;
    const newsStarted = Date.now();
    const said = new Map<string, number>();
    for (let i = 0; i < newsCount; i += 1) {
      const sessionId = sessions[Math.floor((i + 0.5) * (n / newsCount))] as string;
      const text = `Bench news ${i} in ${sessionId.slice(-6)}`;
      devin.say(sessionId, `news-${i}`, text);
      said.set(text, Date.now());
      await sleep(2_000 + Math.random() * 1000);
    }
    const latencies: number[] = [];
    const deadline = Date.now() + 60_000;
    while (latencies.length < said.size && Date.now() < deadline) {
      latencies.length = 0;
      for (const [text, at] of said) {
        const post = slack.calls.find((c) => c.method === 'chat.postMessage' && String(c.args.text).includes(text));
        if (post) latencies.push(post.at - at);
      }
      if (latencies.length < said.size) await sleep(200);
    }
    const news = perMinute(devin, newsSince, Date.now() - newsStarted);
    const sorted = [...latencies].sort((a, b) => a - b);
    const { rss, peak } = residentMemory(app.child.pid as number);
    const bytes = storeBytes(file);
    return { n, idle, news, sorted, lost: said.size - latencies.length, idleRss, rss, peak, bytes };
  } finally {
    if (app) {
      app.kill('SIGTERM');
      await app.exited;
    }
    await slack.close();
    await devin.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `Watched v3 sessions, change feed every 5 s, safety poll every 60 min; idle ${idleSeconds} s, then ${newsCount} news`,
  );
  const rows: string[][] = [];
  for (const n of counts) {
    const r = await run(n);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    rows.push([
      n.toLocaleString('en'),
      `${r.idle.total.toFixed(1)} (${r.idle.list.toFixed(1)} + ${r.idle.reads.toFixed(1)})`,
      `${r.news.total.toFixed(1)}`,
      `${s(percentile(r.sorted, 50))} / ${s(percentile(r.sorted, 99))}${r.lost ? ` (${r.lost} not posted)` : ''}`,
      `${mb(r.idleRss)} / ${mb(r.peak)}`,
      kb(r.bytes),
    ]);
    console.log(`  ${n} sessions measured`);
  }
  const header = [
    'watched',
    'idle: Devin calls/min (lists + reads)',
    'with news: calls/min',
    'news latency p50 / p99',
    'RSS idle / peak',
    'store',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}`);
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
