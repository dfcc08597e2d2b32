/**
 * Relay throughput, ack latency and memory of the real app, started as its own process (`node dist/index.js`), next
 * to a bare forwarder (bench/forwarder.mjs) under the same load. Fake Slack and fake Devin run in this process on
 * loopback; signed thread replies go out over keep-alive connections, closed-loop.
 * Usage: `npm run bench -- [--store sqlite|redis|memory] [--slack-throttled] [--replies 2000] [--threads 50]
 * [--connections 32] [--warmup 500] [--reactions-per-minute 100000] [--timeout 300] [--cpu-prof]`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FakeDevin } from '../test/support/fake-devin';
import { FakeSlack } from '../test/support/fake-slack';
import { freePort } from '../test/support/free-port';
import { freshRedisUrl } from '../test/support/redis-test-url';
import { BenchProcess } from './bench-process';
import { profilesIn, topSelfTime } from './cpu-profile';
import { DeliveryLog, type Verdict } from './delivery-log';
import { type BoundThread, buildReplies, type PassResult, percentile, sendPass } from './load';
import { Receipts } from './receipts';
import { linkThreads, registerThreads } from './threads';

const { values: flags } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    'slack-throttled': { type: 'boolean', default: false },
    replies: { type: 'string', default: '2000' },
    threads: { type: 'string', default: '50' },
    connections: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '500' },
    'reactions-per-minute': { type: 'string', default: '100000' },
    timeout: { type: 'string', default: '300' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});

const SIGNING_SECRET = 'bench-signing-secret-5d1e';
const BOT_TOKEN = 'xoxb-bench-bot-token';
const DEVIN_KEY = 'apk_bench_key';
const ROOT = join(__dirname, '..');
const replies = Number(flags.replies);
const threadCount = Number(flags.threads);
const connections = Number(flags.connections);
const warmup = Number(flags.warmup);
const deliveryTimeoutMs = Number(flags.timeout) * 1000;
const RECEIPT_WAIT_MS = 60_000;

interface Run {
  relaysPerSec: number;
  ack: PassResult;
  verdict: Verdict;
  peakRssKb: number;
  sampledRssKb: number;
  startMs: number;
  receipts?: string;
}

const mb = (kb: number) => kb / 1024;
const fixed = (n: number, digits = 1) => n.toFixed(digits);

async function storeUrl(dir: string): Promise<string> {
  if (flags.store === 'memory') return 'memory://';
  if (flags.store === 'redis') return freshRedisUrl(15);
  if (flags.store === 'sqlite') return `sqlite://${join(dir, 'bench.sqlite')}`;
  throw new Error(`--store must be sqlite, redis or memory, not ${flags.store}`);
}

/** Warm-up and measured pass against one server; `prepare` binds the threads, `afterDelivery` may wait for more. */
async function load(
  target: BenchProcess,
  port: number,
  devin: FakeDevin,
  threads: BoundThread[],
  hooks: {
    beforeMeasured?: () => void;
    afterDelivery?: (measured: ReturnType<typeof buildReplies>) => Promise<string>;
  },
): Promise<Omit<Run, 'peakRssKb' | 'sampledRssKb' | 'startMs'>> {
  const origin = `http://127.0.0.1:${port}`;
  const send = { connections, timeoutMs: 60_000 };
  const warm = buildReplies(`warmup-${target.name}`, warmup, threads);
  const warmLog = new DeliveryLog(devin);
  const warmAck = await sendPass(origin, SIGNING_SECRET, warm, send);
  if (warmAck.failed > 0) throw new Error(`${target.name} warm-up: ${warmAck.failed} failed; ${warmAck.firstFailure}`);
  const warmVerdict = await warmLog.waitFor(warm, deliveryTimeoutMs);
  if (warmVerdict.lost > 0) throw new Error(`${target.name} warm-up: ${warmVerdict.lost} replies never reached Devin`);

  const measured = buildReplies(`measured-${target.name}`, replies, threads);
  const log = new DeliveryLog(devin);
  hooks.beforeMeasured?.();
  const ack = await sendPass(origin, SIGNING_SECRET, measured, send);
  if (ack.failed > 0) throw new Error(`${target.name}: ${ack.failed} replies failed; ${ack.firstFailure}`);
  const verdict = await log.waitFor(measured, deliveryTimeoutMs);
  const relaysPerSec =
    verdict.lastAt > ack.startedAt ? (verdict.received / (verdict.lastAt - ack.startedAt)) * 1000 : 0;
  const receipts = await hooks.afterDelivery?.(measured);
  const late = log.verdict(measured).received - verdict.received;
  const lateNote = late > 0 ? `; ${late} more reached Devin after the delivery wait, while receipts were awaited` : '';
  return { relaysPerSec, ack, verdict, ...(receipts ? { receipts: receipts + lateNote } : {}) };
}

async function stopped(target: BenchProcess): Promise<void> {
  const exit = await target.stop();
  if (exit.killed) throw new Error(`${target.name} did not exit within 20 s of SIGTERM and was killed`);
}

async function bridgeRun(slack: FakeSlack, devin: FakeDevin, dir: string, profileDir?: string): Promise<Run> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DEVIN_API_KEY: DEVIN_KEY,
    DEVIN_API_URL: devin.url,
    STORE_URL: await storeUrl(dir),
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SLACK_REACTIONS_PER_MINUTE: String(flags['reactions-per-minute']),
  };
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  // The working directory is the temp dir, so a developer's .env cannot change the configuration.
  const app = BenchProcess.start('bridge', [...profiling, '--enable-source-maps', join(ROOT, 'dist', 'index.js')], {
    env,
    cwd: dir,
  });
  try {
    const startMs = await app.waitHealthy(`http://127.0.0.1:${port}/healthz`, 30_000);
    const threads = await linkThreads(
      `http://127.0.0.1:${port}/slack/events`,
      SIGNING_SECRET,
      slack,
      devin,
      threadCount,
    );
    const receipts = new Receipts(slack);
    const result = await load(app, port, devin, threads, {
      beforeMeasured: () => {
        if (flags['slack-throttled']) receipts.throttle();
      },
      afterDelivery: async (measured) => {
        const atDelivery = receipts.shown(measured);
        if (flags['slack-throttled']) receipts.lift();
        const later = await receipts.waitForAll(measured, RECEIPT_WAIT_MS);
        const when = flags['slack-throttled'] ? 'after the throttle was lifted' : 'after delivery';
        return (
          `receipts shown ${atDelivery}/${measured.length} when delivery completed, ` +
          `${later.shown}/${measured.length} ${when} (${fixed(later.ms / 1000)} s${later.shown < measured.length ? `, gave up after ${RECEIPT_WAIT_MS / 1000} s` : ''})`
        );
      },
    });
    const peakRssKb = app.peakRssKb();
    const sampledRssKb = app.maxRssKb;
    await stopped(app);
    return { ...result, peakRssKb, sampledRssKb, startMs };
  } catch (error) {
    process.stderr.write(`--- bridge output ---\n${app.log}\n---\n`);
    throw error;
  } finally {
    await app.stop();
  }
}

async function forwarderRun(slack: FakeSlack, devin: FakeDevin): Promise<Run> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    PORT: String(port),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    DEVIN_API_URL: devin.url,
    DEVIN_API_KEY: DEVIN_KEY,
  };
  const forwarder = BenchProcess.start('forwarder', [join(__dirname, 'forwarder.mjs')], { env, cwd: ROOT });
  try {
    const startMs = await forwarder.waitHealthy(`http://127.0.0.1:${port}/healthz`, 30_000);
    const threads = await registerThreads(`http://127.0.0.1:${port}`, slack, devin, threadCount);
    const result = await load(forwarder, port, devin, threads, {});
    const peakRssKb = forwarder.peakRssKb();
    const sampledRssKb = forwarder.maxRssKb;
    await stopped(forwarder);
    return { ...result, peakRssKb, sampledRssKb, startMs };
  } catch (error) {
    process.stderr.write(`--- forwarder output ---\n${forwarder.log}\n---\n`);
    throw error;
  } finally {
    await forwarder.stop();
  }
}

function report(bridge: Run, forwarder: Run, profileDir?: string): void {
  const ratio = forwarder.relaysPerSec > 0 ? bridge.relaysPerSec / forwarder.relaysPerSec : 0;
  const p = (run: Run, q: number) => fixed(percentile(run.ack.latencies, q));
  const v = bridge.verdict;
  console.log(
    `\n${replies} measured replies (after ${warmup} warm-up) over ${threadCount} threads, ${connections} connections` +
      `${flags['slack-throttled'] ? ', Slack answering reactions.add 429 (Retry-After: 30) during the measured run' : ''}\n`,
  );
  console.log('| store | bridge relays/s | forwarder relays/s | ratio | ack p50 / p99 | peak RSS |');
  console.log('| ----- | --------------- | ------------------ | ----- | ------------- | -------- |');
  console.log(
    `| ${flags.store} | ${fixed(bridge.relaysPerSec)} | ${fixed(forwarder.relaysPerSec)} | ${fixed(ratio, 2)} | ` +
      `${p(bridge, 50)} / ${p(bridge, 99)} ms | ${fixed(mb(bridge.peakRssKb))} MB |`,
  );
  console.log(
    `\nforwarder: ack p50 / p99 ${p(forwarder, 50)} / ${p(forwarder, 99)} ms, peak RSS ${fixed(mb(forwarder.peakRssKb))} MB, ` +
      `lost ${forwarder.verdict.lost}, doubled ${forwarder.verdict.doubled}, out of order ${forwarder.verdict.outOfOrder}`,
  );
  console.log(
    `bridge: ack max ${fixed(Math.max(...bridge.ack.latencies))} ms, sampled RSS max ${fixed(mb(bridge.sampledRssKb))} MB, ` +
      `healthy ${fixed(bridge.startMs, 0)} ms after spawn (forwarder ${fixed(forwarder.startMs, 0)} ms)`,
  );
  if (bridge.receipts) console.log(`bridge: ${bridge.receipts}`);
  if (profileDir) {
    for (const file of profilesIn(profileDir)) {
      console.log(`\nCPU profile of the bridge: ${file}\ntop self time:`);
      for (const t of topSelfTime(file))
        console.log(`  ${fixed(t.ms, 0).padStart(7)} ms ${fixed(t.share * 100).padStart(5)}%  ${t.name}`);
    }
  }
  const cpu = cpus();
  const load = loadavg().map((l) => fixed(l, 2));
  console.log(
    `\nmachine: ${cpu[0]?.model.trim() ?? 'unknown cpu'}, ${cpu.length} cores, node ${process.version}, ` +
      `load average ${load.join(' ')} at the end (other work on the machine skews the figures)`,
  );
  console.log(
    `ratio throughput=${fixed(ratio, 2)} p99_ms=${p(bridge, 99)} rss_mb=${fixed(mb(bridge.peakRssKb))} ` +
      `lost=${v.lost} doubled=${v.doubled} out_of_order=${v.outOfOrder}`,
  );
}

async function main(): Promise<number> {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'devin-slack-bench-'));
  const profileDir = flags['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'devin-slack-cpu-prof-')) : undefined;
  const slack = await FakeSlack.start();
  const devin = await FakeDevin.start({ apiKey: DEVIN_KEY });
  try {
    const bridge = await bridgeRun(slack, devin, dir, profileDir);
    const forwarder = await forwarderRun(slack, devin);
    report(bridge, forwarder, profileDir);
    const { lost, doubled, outOfOrder } = bridge.verdict;
    return lost + doubled + outOfOrder > 0 ? 1 : 0;
  } finally {
    await slack.close();
    await devin.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void BenchProcess.stopAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
