/**
 * Start-up cost of the app: time from spawn to a 200 on /healthz, resident memory once healthy and once 50 threads
 * are bound, the V8 heap, and the modules loaded (by package), as the median of `--runs` starts.
 * Usage: `npm run bench:startup -- [--dist dist] [--runs 5] [--threads 50] [--store sqlite|memory] [--no-source-maps]
 * [--node-flags=--max-semi-space-size=4]`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FakeDevin } from '../test/support/fake-devin';
import { FakeSlack } from '../test/support/fake-slack';
import { appMemory } from './app-memory';
import { DEVIN_KEY, SIGNING_SECRET, startBridge, stopTarget } from './targets';
import { linkThreads } from './threads';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    threads: { type: 'string', default: '50' },
    store: { type: 'string', default: 'sqlite' },
    'no-source-maps': { type: 'boolean', default: false },
    'node-flags': { type: 'string', default: '' },
    dist: { type: 'string', default: join(__dirname, '..', 'dist') },
  },
});

interface Start {
  healthyMs: number;
  healthyRssKb: number;
  boundRssKb: number;
  heapUsedMb: number;
  modules: string[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

/** The package a loaded file belongs to (`@slack/bolt`), or `(app)` for the app's own files. */
function packageOf(file: string): string {
  const at = file.lastIndexOf('node_modules/');
  if (at === -1) return '(app)';
  const [scope, name] = file.slice(at + 'node_modules/'.length).split('/');
  return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? '?');
}

async function oneStart(slack: FakeSlack, devin: FakeDevin, dir: string): Promise<Start> {
  const modulesFile = join(dir, 'modules.txt');
  const target = await startBridge(slack, devin, {
    storeUrl: flags.store === 'memory' ? 'memory://' : `sqlite://${join(dir, 'startup.sqlite')}`,
    threads: 0,
    reactionsPerMinute: '100000',
    dir,
    nodeFlags: ['-r', join(__dirname, 'loaded-modules.cjs'), ...flags['node-flags'].split(' ').filter(Boolean)],
    sourceMaps: !flags['no-source-maps'],
    dist: resolve(flags.dist),
    env: { BENCH_LOADED_MODULES: modulesFile },
  });
  try {
    const healthyRssKb = target.idleRssKb;
    await linkThreads(`${target.origin}/slack/events`, SIGNING_SECRET, slack, devin, Number(flags.threads));
    await settle();
    const boundRssKb = target.process.rssKb();
    const memory = await appMemory(target.origin);
    await stopTarget(target);
    const modules = readFileSync(modulesFile, 'utf8').split('\n').filter(Boolean);
    return {
      healthyMs: target.startMs,
      healthyRssKb,
      boundRssKb,
      heapUsedMb: (memory?.heapUsed ?? 0) / 2 ** 20,
      modules,
    };
  } finally {
    await target.process.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(resolve(flags.dist), 'index.js'))) throw new Error(`${flags.dist} holds no built app`);
  const slack = await FakeSlack.start();
  const devin = await FakeDevin.start({ apiKey: DEVIN_KEY });
  const starts: Start[] = [];
  try {
    for (let run = 0; run < Number(flags.runs); run += 1) {
      const dir = mkdtempSync(join(tmpdir(), 'devin-slack-startup-'));
      try {
        starts.push(await oneStart(slack, devin, dir));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await slack.close();
    await devin.close();
  }
  const last = starts.at(-1)?.modules ?? [];
  const byPackage = new Map<string, number>();
  for (const file of last) byPackage.set(packageOf(file), (byPackage.get(packageOf(file)) ?? 0) + 1);
  console.log(`\n${starts.length} starts, store ${flags.store}, ${flags.threads} threads bound after start`);
  console.log(
    `files loaded: ${last.length} (by package: ${[...byPackage]
      .sort((a, b) => b[1] - a[1])
      .map(([p, n]) => `${p} ${n}`)
      .join(', ')})`,
  );
  const mb = (kb: number) => fixed(kb / 1024);
  console.log(
    `startup healthy_ms median=${fixed(median(starts.map((s) => s.healthyMs)), 0)} ` +
      `rss_mb_when_healthy median=${mb(median(starts.map((s) => s.healthyRssKb)))} ` +
      `idle_rss_mb_after_binding median=${mb(median(starts.map((s) => s.boundRssKb)))} ` +
      `heap_used_mb median=${fixed(median(starts.map((s) => s.heapUsedMb)))} files_loaded=${last.length}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
