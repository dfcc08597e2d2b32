import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { freePort } from './free-port';

/**
 * A redis-server of the test's own on a free port, keeping nothing on disk, that the test can pause (SIGSTOP: the
 * server keeps its connections open and answers nothing) and resume (SIGCONT), as a stalled Redis does.
 */
export class PrivateRedis {
  readonly output: string[] = [];
  readonly exited: Promise<void>;
  private paused = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => this.output.push(line));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  /** Starts the server and resolves once it accepts connections. */
  static async start(timeoutMs = 10_000): Promise<PrivateRedis> {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const redis = new PrivateRedis(child, port);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        clearInterval(poll);
        reject(new Error(`redis-server did not start within ${timeoutMs} ms:\n${redis.output.join('\n')}`));
      }, timeoutMs);
      const poll = setInterval(() => {
        if (!redis.output.some((line) => line.includes('Ready to accept connections'))) return;
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }, 20);
      child.once('error', (error) => {
        clearTimeout(timer);
        clearInterval(poll);
        reject(error);
      });
    });
    return redis;
  }

  pause(): void {
    this.paused = true;
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.paused = false;
    this.child.kill('SIGCONT');
  }

  /** Kills the server (a paused one too). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    if (this.paused) this.child.kill('SIGCONT');
    await this.exited;
  }
}
