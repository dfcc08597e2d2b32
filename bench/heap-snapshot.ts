import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchProcess } from './bench-process';

/** Node flags that let the bench ask the app for heap snapshots (SIGUSR2), written into `dir`. */
export const heapSnapshotFlags = (dir: string) => ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`];

const snapshotsIn = (dir: string) => new Set(readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks the process for a heap snapshot (a full garbage collection comes first, so what it shows is what is still
 * held), waits until it is written, and moves it to `<outDir>/<label>.heapsnapshot`. The snapshot is written on the
 * app's main thread, so the app answering `healthUrl` again means the file is complete.
 */
export async function takeHeapSnapshot(
  app: BenchProcess,
  diagnosticDir: string,
  healthUrl: string,
  outDir: string,
  label: string,
): Promise<string> {
  const before = snapshotsIn(diagnosticDir);
  app.signal('SIGUSR2');
  const deadline = Date.now() + 120_000;
  let file: string | undefined;
  while (!file) {
    if (Date.now() > deadline) throw new Error(`${app.name} wrote no heap snapshot within 120 s`);
    await sleep(100);
    file = [...snapshotsIn(diagnosticDir)].find((f) => !before.has(f));
  }
  const path = join(diagnosticDir, file);
  let size = -1;
  for (;;) {
    await fetch(healthUrl, { signal: AbortSignal.timeout(120_000) });
    const now = statSync(path).size;
    if (now === size && now > 0) break;
    size = now;
    await sleep(200);
  }
  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, `${label}.heapsnapshot`);
  renameSync(path, target);
  return target;
}
