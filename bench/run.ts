/**
 * Relay throughput, ack latency, CPU and memory of the real app, started as its own process (`node dist/index.js`),
 * against a bare forwarder (bench/forwarder.mjs) under the same load, alternated `--rounds` times (bridge, forwarder,
 * bridge, ...) so that the median ratio and its spread say more than one run on a noisy machine. Fake Slack and fake
 * Devin run in this process on loopback; signed thread replies go out over keep-alive connections, closed-loop.
 * `--soak N` runs one app process through N passes of `--replies` replies instead (no forwarder) and reports RSS
 * after each; `--heap-snapshots-at 0,1,5` writes heap snapshots after those passes of the soak (0: before the first).
 * Usage: `npm run bench -- [--store sqlite|redis|memory] [--slack-throttled] [--replies 2000] [--threads 50]
 * [--connections 32] [--warmup 500] [--rounds 3] [--reactions-per-minute 100000] [--timeout 300] [--cpu-prof]
 * [--soak N] [--heap-snapshots-at 0,2,10] [--out bench/out] [--dist dist] [--compare-dist dir] [--node-flags=--max-semi-space-size=4]`.
 * `--dist` starts another build of the app; `--compare-dist <dir>` also runs that build's bridge in each round, just
 * before this one's, and reports its ratio to the same forwarder run (before and after a change, in one run).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FakeDevin } from '../test/support/fake-devin';
import { FakeSlack } from '../test/support/fake-slack';
import { freshRedisUrl } from '../test/support/redis-test-url';
import { appMemory } from './app-memory';
import { BenchProcess } from './bench-process';
import { heapSnapshotFlags, takeHeapSnapshot } from './heap-snapshot';
import { type PassFigures, type PassOptions, runPass, warmUp } from './passes';
import { Receipts } from './receipts';
import { fixed, type Pair, reportPairs, reportProfiles, reportSoak } from './report';
import { DEVIN_KEY, startBridge, startForwarder, stopTarget, type Target } from './targets';

const { values: flags } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    'slack-throttled': { type: 'boolean', default: false },
    replies: { type: 'string', default: '2000' },
    threads: { type: 'string', default: '50' },
    connections: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '3' },
    'reactions-per-minute': { type: 'string', default: '100000' },
    timeout: { type: 'string', default: '300' },
    'cpu-prof': { type: 'boolean', default: false },
    soak: { type: 'string', default: '0' },
    'heap-snapshots-at': { type: 'string', default: '' },
    out: { type: 'string', default: join(__dirname, 'out') },
    dist: { type: 'string', default: join(__dirname, '..', 'dist') },
    'node-flags': { type: 'string', default: '' },
    'compare-dist': { type: 'string', default: '' },
  },
});

const dist = resolve(flags.dist);
const nodeFlags = flags['node-flags'].split(' ').filter(Boolean);
const compareDist = flags['compare-dist'] ? resolve(flags['compare-dist']) : undefined;
const reactionsPerMinute = String(flags['reactions-per-minute']);
const replies = Number(flags.replies);
const threadCount = Number(flags.threads);
const warmup = Number(flags.warmup);
const rounds = Number(flags.rounds);
const soakPasses = Number(flags.soak);
const snapshotsAt = new Set(flags['heap-snapshots-at'] ? flags['heap-snapshots-at'].split(',').map(Number) : []);
const passOptions: PassOptions = {
  connections: Number(flags.connections),
  deliveryTimeoutMs: Number(flags.timeout) * 1000,
};
const RECEIPT_WAIT_MS = 60_000;

async function storeUrl(dir: string): Promise<string> {
  if (flags.store === 'memory') return 'memory://';
  if (flags.store === 'redis') return freshRedisUrl(15);
  if (flags.store === 'sqlite') return `sqlite://${join(dir, 'bench.sqlite')}`;
  throw new Error(`--store must be sqlite, redis or memory, not ${flags.store}`);
}

/** The bridge's measured pass, with the receipts awaited after delivery (and Slack throttled when asked). */
function bridgePass(target: Target, slack: FakeSlack, devin: FakeDevin, pass: string): Promise<PassFigures> {
  const receipts = new Receipts(slack);
  const throttled = flags['slack-throttled'];
  return runPass(target, devin, pass, replies, passOptions, {
    beforeSend: () => {
      if (throttled) receipts.throttle();
    },
    afterDelivery: async (measured) => {
      const atDelivery = receipts.shown(measured);
      if (throttled) receipts.lift();
      const later = await receipts.waitForAll(measured, RECEIPT_WAIT_MS);
      const when = throttled ? 'after the throttle was lifted' : 'after delivery';
      return (
        `receipts shown ${atDelivery}/${measured.length} when delivery completed, ` +
        `${later.shown}/${measured.length} ${when} (${fixed(later.ms / 1000)} s${later.shown < measured.length ? `, gave up after ${RECEIPT_WAIT_MS / 1000} s` : ''})`
      );
    },
  });
}

async function withTarget<T>(target: Target, work: (target: Target) => Promise<T>): Promise<T> {
  try {
    const result = await work(target);
    await stopTarget(target);
    return result;
  } catch (error) {
    process.stderr.write(`--- ${target.process.name} output ---\n${target.process.log}\n---\n`);
    throw error;
  } finally {
    await target.process.stop();
  }
}

async function pairs(slack: FakeSlack, devin: FakeDevin, dir: string, profileDir?: string): Promise<Pair[]> {
  const all: Pair[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const profiling = profileDir && round === 1 ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const runBridge = async (name: string, build: string, flags: string[]) => {
      const bridgeDir = mkdtempSync(join(dir, `${name}-${round}-`));
      const target = await startBridge(slack, devin, {
        storeUrl: await storeUrl(bridgeDir),
        threads: threadCount,
        reactionsPerMinute: reactionsPerMinute,
        dir: bridgeDir,
        nodeFlags: flags,
        dist: build,
      });
      return withTarget(target, async (t) => {
        await warmUp(t, devin, warmup, passOptions);
        const figures = await bridgePass(t, slack, devin, `measured-${name}-${round}`);
        return { ...figures, idleRssKb: t.idleRssKb, startMs: t.startMs };
      });
    };
    const compared = compareDist ? await runBridge('compared', compareDist, nodeFlags) : undefined;
    const bridge = await runBridge('bridge', dist, [...nodeFlags, ...profiling]);
    const forwarderTarget = await startForwarder(slack, devin, threadCount);
    const forwarder = await withTarget(forwarderTarget, async (t) => {
      await warmUp(t, devin, warmup, passOptions);
      const figures = await runPass(t, devin, `measured-forwarder-${round}`, replies, passOptions);
      return { ...figures, idleRssKb: t.idleRssKb, startMs: t.startMs };
    });
    all.push({ bridge, forwarder, ...(compared ? { compared } : {}) });
    process.stderr.write(
      `round ${round}/${rounds}: ${fixed(bridge.relaysPerSec)} / ${fixed(forwarder.relaysPerSec)}\n`,
    );
  }
  return all;
}

async function soak(slack: FakeSlack, devin: FakeDevin, dir: string): Promise<PassFigures[]> {
  const diagnosticDir = mkdtempSync(join(dir, 'diagnostics-'));
  const target = await startBridge(slack, devin, {
    storeUrl: await storeUrl(dir),
    threads: threadCount,
    reactionsPerMinute: String(flags['reactions-per-minute']),
    dir,
    nodeFlags: [...nodeFlags, ...(snapshotsAt.size > 0 ? heapSnapshotFlags(diagnosticDir) : [])],
    dist,
  });
  const outDir = resolve(flags.out);
  const snapshot = async (pass: number) => {
    if (!snapshotsAt.has(pass)) return;
    const file = await takeHeapSnapshot(
      target.process,
      diagnosticDir,
      `${target.origin}/healthz`,
      outDir,
      `pass-${pass}`,
    );
    process.stderr.write(`heap snapshot after pass ${pass}: ${file}\n`);
  };
  const passes = await withTarget(target, async (t) => {
    await warmUp(t, devin, warmup, passOptions);
    await snapshot(0);
    const done: PassFigures[] = [];
    for (let pass = 1; pass <= soakPasses; pass += 1) {
      const figures = await runPass(t, devin, `soak-${pass}`, replies, passOptions);
      const memory = await appMemory(t.origin);
      done.push({ ...figures, ...(memory ? { memory } : {}) });
      process.stderr.write(`pass ${pass}/${soakPasses}: RSS ${fixed(t.process.rssKb() / 1024)} MB\n`);
      await snapshot(pass);
    }
    return done;
  });
  reportSoak(target.idleRssKb, warmup, passes);
  return passes;
}

async function main(): Promise<number> {
  if (!existsSync(join(dist, 'index.js'))) throw new Error(`${dist} holds no built app: run \`npm run build\` first`);
  if (snapshotsAt.size > 0 && soakPasses <= 0) throw new Error('--heap-snapshots-at needs --soak N');
  const dir = mkdtempSync(join(tmpdir(), 'devin-slack-bench-'));
  const profileDir = flags['cpu-prof'] ? resolve(flags.out, `cpu-prof-${Date.now()}`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const slack = await FakeSlack.start();
  const devin = await FakeDevin.start({ apiKey: DEVIN_KEY });
  try {
    console.log(
      `\n${soakPasses > 0 ? `${soakPasses} passes` : `${rounds} rounds`} of ${replies} measured replies ` +
        `(after ${warmup} warm-up) over ${threadCount} threads, ${passOptions.connections} connections, store ${flags.store}` +
        `${flags['slack-throttled'] ? ', Slack answering reactions.add 429 (Retry-After: 30) during the measured run' : ''}`,
    );
    let bad = 0;
    if (soakPasses > 0) {
      for (const { verdict } of await soak(slack, devin, dir))
        bad += verdict.lost + verdict.doubled + verdict.outOfOrder;
    } else {
      const measured = await pairs(slack, devin, dir, profileDir);
      reportPairs(measured, String(flags.store));
      for (const { bridge } of measured)
        bad += bridge.verdict.lost + bridge.verdict.doubled + bridge.verdict.outOfOrder;
    }
    if (profileDir) reportProfiles(profileDir);
    return bad > 0 ? 1 : 0;
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
