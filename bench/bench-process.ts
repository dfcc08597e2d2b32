import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const OUTPUT_LIMIT = 256 * 1024;
/** Clock ticks per second of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system CPU time (ms) the process used so far, from /proc/<pid>/stat, or undefined once it is gone. */
function procCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces, so it is skipped up to its closing parenthesis).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks / CLOCK_TICKS) * 1000;
  } catch {
    return undefined;
  }
}

/** kB figures from /proc/<pid>/status (`VmRSS`, `VmHWM`), or undefined once the process is gone. */
function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** A server under test in its own process: output kept in a buffer, resident memory sampled while it runs. */
export class BenchProcess {
  private static readonly live = new Set<BenchProcess>();
  /** Largest VmRSS seen by sampling (kB). */
  maxRssKb = 0;
  private output = '';
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitedAlready = false;
  private readonly sampler: NodeJS.Timeout;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitedAlready = true;
        BenchProcess.live.delete(this);
        resolve({ code, signal });
      });
    });
    this.sampler = setInterval(() => this.sample(), 200);
    this.sampler.unref();
    BenchProcess.live.add(this);
  }

  /** Stops every process still running (the bench was interrupted). */
  static async stopAll(): Promise<void> {
    await Promise.all([...BenchProcess.live].map((p) => p.stop()));
  }

  static start(name: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string }): BenchProcess {
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    return new BenchProcess(name, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** What the process wrote to stdout and stderr (the last 256 kB). */
  get log(): string {
    return this.output;
  }

  /** Waits until `url` answers 200; returns how long that took (ms). */
  async waitHealthy(url: string, timeoutMs: number): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < timeoutMs) {
      if (this.exitedAlready) throw new Error(`${this.name} exited before ${url} answered 200`);
      const status = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (res) => res.status,
        () => 0,
      );
      if (status === 200) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${this.name}: ${url} did not answer 200 within ${timeoutMs} ms`);
  }

  /** Resident memory (kB) now. */
  rssKb(): number {
    return procStatusKb(this.pid, 'VmRSS') ?? 0;
  }

  /** CPU time (user + system, ms) the process used so far. */
  cpuMs(): number {
    return procCpuMs(this.pid) ?? 0;
  }

  /** Sends a signal (SIGUSR2 asks a process started with `--heapsnapshot-signal=SIGUSR2` for a heap snapshot). */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Peak resident memory (kB) as the kernel recorded it, read before stopping. */
  peakRssKb(): number {
    this.sample();
    return Math.max(procStatusKb(this.pid, 'VmHWM') ?? 0, this.maxRssKb);
  }

  /**
   * SIGTERM, so the process leaves through its own shutdown path (and writes a CPU profile when asked to); SIGKILL
   * only after `timeoutMs`, which counts as a failure.
   */
  async stop(timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
    clearInterval(this.sampler);
    if (this.exitedAlready) return { ...(await this.exited), killed: false };
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    const result = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (result !== 'late') return { ...result, killed: false };
    this.child.kill('SIGKILL');
    return { ...(await this.exited), killed: true };
  }

  private sample(): void {
    const rss = procStatusKb(this.pid, 'VmRSS');
    if (rss !== undefined && rss > this.maxRssKb) this.maxRssKb = rss;
  }
}
