import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FakeDevin } from './fake-devin';
import type { FakeSlack } from './fake-slack';
import { freePort } from './free-port';
import { BOT_TOKEN, DEVIN_KEY, SIGNING_SECRET } from './harness';
import {
  type Json,
  type PostResult,
  postCommand,
  postEvent,
  type SignedPostOptions,
  slashCommand,
  threadReply,
} from './slack-signing';

const ROOT = join(__dirname, '..', '..');
const READY = 'devin-slack is ready';
/** node --import tsx compiles the sources on the way in: about 1-2 s to ready on a warm machine. */
const START_TIMEOUT_MS = 20_000;

/** One JSON line the app logged (pino: `level` 10-60, `msg`, `time`, and the line's fields). */
export interface LogLine {
  level: number;
  msg: string;
  time: number;
  [field: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from `kill()` to the exit (from the spawn when the process ended by itself). */
  afterMs: number;
}

/** The app's environment for a fake Slack and a fake Devin; `env` adds to it or overrides it. */
export function appEnv(slack: FakeSlack, devin: FakeDevin, storeUrl: string, env: Record<string, string> = {}) {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DEVIN_API_KEY: DEVIN_KEY,
    DEVIN_API_URL: devin.url,
    DEVIN_REQUEST_TIMEOUT_MS: '30000',
    DEVIN_RETRY_WINDOW_MS: '60000',
    STORE_URL: storeUrl,
    ...env,
  };
}

/**
 * The real app (`src/index.ts`, through tsx, so always the current sources) in a child process that a test can kill,
 * as a crash or a deployment would. Every child started is stopped by `AppProcess.killAll()`.
 */
export class AppProcess {
  private static readonly running = new Set<AppProcess>();

  readonly logs: LogLine[] = [];
  /** Every line of stdout and stderr, as written (for failure messages). */
  readonly output: string[] = [];
  readonly exited: Promise<Exit>;
  readonly spawnedAt = Date.now();
  /** Milliseconds from the spawn to "devin-slack is ready". */
  startMs = Number.NaN;

  private signalledAt: number | undefined;
  private hasExited = false;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    AppProcess.running.add(this);
    this.exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        this.hasExited = true;
        AppProcess.running.delete(this);
        resolve({ code, signal, afterMs: Date.now() - (this.signalledAt ?? this.spawnedAt) });
        this.notify();
      });
    });
    const read = (stream: NodeJS.ReadableStream | null, parse: boolean) => {
      if (!stream) return;
      createInterface({ input: stream }).on('line', (line) => {
        this.output.push(line);
        if (parse) {
          const parsed = parseLine(line);
          if (parsed) this.logs.push(parsed);
        }
        this.notify();
      });
    };
    read(child.stdout, true);
    read(child.stderr, false);
  }

  /** Spawns the app (PORT chosen here unless given, LOG_LEVEL debug) without waiting for it. */
  static async spawn(env: Record<string, string>): Promise<AppProcess> {
    const port = env.PORT ? Number(env.PORT) : await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TMPDIR: process.env.TMPDIR ?? '/tmp',
        LOG_LEVEL: 'debug',
        ...env,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(child, port);
  }

  /** Spawns the app and resolves once it logged that it is ready; rejects with its output if it exits or hangs. */
  static async start(env: Record<string, string>, timeoutMs = START_TIMEOUT_MS): Promise<AppProcess> {
    const app = await AppProcess.spawn(env);
    try {
      const ready = await app.waitForLog((l) => l.msg === READY, timeoutMs);
      app.startMs = ready.time - app.spawnedAt;
    } catch (error) {
      app.kill('SIGKILL');
      await app.exited;
      throw error;
    }
    return app;
  }

  /** Kills every child still running (afterEach / afterAll): nothing outlives its test. */
  static async killAll(): Promise<void> {
    const all = [...AppProcess.running];
    for (const app of all) app.kill('SIGKILL');
    await Promise.all(all.map((app) => app.exited));
  }

  get running(): boolean {
    return !this.hasExited;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get eventsUrl(): string {
    return `${this.baseUrl}/slack/events`;
  }

  /** Sends a signal (a crash: SIGKILL; a deployment: SIGTERM); `exited` then says how long the process took. */
  kill(signal: 'SIGKILL' | 'SIGTERM'): void {
    if (this.hasExited) return;
    this.signalledAt = Date.now();
    this.child.kill(signal);
  }

  /** Freezes the process (SIGSTOP), as a long pause does: its timers stop, its connections stay open. */
  pause(): void {
    if (!this.hasExited) this.child.kill('SIGSTOP');
  }

  resume(): void {
    if (!this.hasExited) this.child.kill('SIGCONT');
  }

  /** Resolves with the first line (logged already or later) that matches; rejects on timeout or exit. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    return new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = this.logs.find(predicate);
        if (found) {
          done();
          resolve(found);
        } else if (this.hasExited) {
          done();
          reject(new Error(`the app exited before the awaited log line.\n${this.describe()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching log line within ${timeoutMs} ms.\n${this.describe()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The lines with this message. */
  logged(msg: string): LogLine[] {
    return this.logs.filter((l) => l.msg === msg);
  }

  /** What the process wrote, for failure messages (the last `max` lines). */
  describe(max = 60): string {
    const lines = this.output.slice(-max);
    return `Output of the app on port ${this.port} (last ${lines.length} of ${this.output.length} lines):\n${lines.join('\n')}`;
  }

  event(payload: Json, options?: SignedPostOptions): Promise<PostResult> {
    return postEvent(this.eventsUrl, SIGNING_SECRET, payload, options);
  }

  /** Posts a person's reply in a thread and returns its payload (to send again, as Slack retries) and answer. */
  async reply(threadTs: string, text: string, options?: SignedPostOptions) {
    const payload = threadReply(threadTs, text);
    return { payload, answer: await this.event(payload, options) };
  }

  /** Binds a new thread to a session the fake Devin has through `/devin link`; resolves with the thread's ts. */
  async linkSession(slack: FakeSlack, sessionId: string, channel = 'C1'): Promise<string> {
    const name = `link-${sessionId}`;
    const answer = await postCommand(
      this.eventsUrl,
      SIGNING_SECRET,
      slashCommand({ text: `link ${sessionId}`, channel_id: channel, response_url: slack.responseUrl(name) }),
    );
    if (answer.status !== 200) throw new Error(`/devin link answered ${answer.status}: ${answer.body}`);
    await slack.waitForResponse((r) => r.name === name, 10_000);
    const root = slack.calls.find(
      (c) => c.method === 'chat.postMessage' && String(c.args.text).includes(sessionId.slice(6)),
    );
    const threadTs = root?.answer?.ts;
    if (!threadTs) throw new Error(`link did not post a root message: ${JSON.stringify(slack.responses.at(-1))}`);
    return threadTs;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function parseLine(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return undefined;
  }
}
