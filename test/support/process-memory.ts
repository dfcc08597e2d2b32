import { readFileSync, writeFileSync } from 'node:fs';

/** A process's resident memory in bytes, from `/proc/<pid>/status`: now (`VmRSS`) and its peak so far (`VmHWM`). */
export function residentMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/**
 * Measures the peak resident memory of process `pid` while `work` runs, above what it held when `work` began. The
 * kernel's own peak (`VmHWM`) is reset first (`clear_refs` 5), so the figure is exact; where that is not allowed, it is
 * sampled every 20 ms instead (a peak shorter than that may be missed).
 */
export async function peakRssDelta<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; before: number; peak: number; delta: number; exact: boolean }> {
  const before = residentMemory(pid).rss;
  let exact = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    exact = false;
  }
  let sampled = before;
  const sampler = setInterval(() => {
    try {
      sampled = Math.max(sampled, residentMemory(pid).rss);
    } catch {
      // The process ended; the last sample stands.
    }
  }, 20);
  try {
    const result = await work();
    const peak = exact ? residentMemory(pid).peak : Math.max(sampled, residentMemory(pid).rss);
    return { result, before, peak, delta: peak - before, exact };
  } finally {
    clearInterval(sampler);
  }
}
