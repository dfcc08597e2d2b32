import { join } from 'node:path';
import type { FakeDevin } from '../test/support/fake-devin';
import type { FakeSlack } from '../test/support/fake-slack';
import { freePort } from '../test/support/free-port';
import { BenchProcess } from './bench-process';
import type { BoundThread } from './load';
import { linkThreads, registerThreads } from './threads';

export const SIGNING_SECRET = 'bench-signing-secret-5d1e';
const BOT_TOKEN = 'xoxb-bench-bot-token';
export const DEVIN_KEY = 'apk_bench_key';
const ROOT = join(__dirname, '..');
const SETTLE_MS = 2_000;

/** A server under load: the bridge (the app) or the bare forwarder, with its threads bound. */
export interface Target {
  process: BenchProcess;
  origin: string;
  threads: BoundThread[];
  /** ms from spawn to a 200 on /healthz */
  startMs: number;
  /** VmRSS (kB) once the threads are bound and the process had a moment to settle, before any reply */
  idleRssKb: number;
}

export interface BridgeOptions {
  storeUrl: string;
  threads: number;
  reactionsPerMinute: string;
  /** the app's working directory (no developer's .env can reach it) */
  dir: string;
  nodeFlags?: string[];
  /** the built app to start (default: this checkout's dist/) */
  dist?: string;
  /** `--enable-source-maps`, as `npm start` runs the app (default true) */
  sourceMaps?: boolean;
  /** more environment for the app (the bench's own preload scripts read it) */
  env?: NodeJS.ProcessEnv;
}

async function settledRss(process: BenchProcess): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return process.rssKb();
}

/** Starts the app (`node dist/index.js`) against the fakes and binds `threads` threads with `/devin link`. */
export async function startBridge(slack: FakeSlack, devin: FakeDevin, options: BridgeOptions): Promise<Target> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DEVIN_API_KEY: DEVIN_KEY,
    DEVIN_API_URL: devin.url,
    STORE_URL: options.storeUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SLACK_REACTIONS_PER_MINUTE: options.reactionsPerMinute,
    ...options.env,
  };
  const sourceMaps = options.sourceMaps === false ? [] : ['--enable-source-maps'];
  const args = [...(options.nodeFlags ?? []), ...sourceMaps, join(options.dist ?? join(ROOT, 'dist'), 'index.js')];
  const app = BenchProcess.start('bridge', args, { env, cwd: options.dir });
  const origin = `http://127.0.0.1:${port}`;
  try {
    const startMs = await app.waitHealthy(`${origin}/healthz`, 30_000);
    const threads = await linkThreads(`${origin}/slack/events`, SIGNING_SECRET, slack, devin, options.threads);
    return { process: app, origin, threads, startMs, idleRssKb: await settledRss(app) };
  } catch (error) {
    process.stderr.write(`--- bridge output ---\n${app.log}\n---\n`);
    await app.stop();
    throw error;
  }
}

/** Starts the bare forwarder (bench/forwarder.mjs) and hands it `threads` thread -> session pairs. */
export async function startForwarder(slack: FakeSlack, devin: FakeDevin, threadCount: number): Promise<Target> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    PORT: String(port),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    DEVIN_API_URL: devin.url,
    DEVIN_API_KEY: DEVIN_KEY,
  };
  const forwarder = BenchProcess.start('forwarder', [join(__dirname, 'forwarder.mjs')], { env, cwd: ROOT });
  const origin = `http://127.0.0.1:${port}`;
  try {
    const startMs = await forwarder.waitHealthy(`${origin}/healthz`, 30_000);
    const threads = await registerThreads(origin, slack, devin, threadCount);
    return { process: forwarder, origin, threads, startMs, idleRssKb: await settledRss(forwarder) };
  } catch (error) {
    process.stderr.write(`--- forwarder output ---\n${forwarder.log}\n---\n`);
    await forwarder.stop();
    throw error;
  }
}

/** SIGTERM, so the process leaves through its own shutdown path; being killed after 20 s is a failure. */
export async function stopTarget(target: Target): Promise<void> {
  const exit = await target.process.stop();
  if (exit.killed) throw new Error(`${target.process.name} did not exit within 20 s of SIGTERM and was killed`);
}
