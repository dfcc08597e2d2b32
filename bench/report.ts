import { cpus, loadavg } from 'node:os';
import { profilesIn, topSelfTime } from './cpu-profile';
import { percentile } from './load';
import type { PassFigures } from './passes';

export const mb = (kb: number) => kb / 1024;
export const fixed = (n: number, digits = 1) => n.toFixed(digits);

/** One bridge run and the forwarder run after it, under the same load. */
export interface Pair {
  bridge: PassFigures & { idleRssKb: number; startMs: number };
  forwarder: PassFigures & { idleRssKb: number; startMs: number };
  /** another build's bridge, run just before `bridge` in the same round (`--compare-dist`) */
  compared?: PassFigures & { idleRssKb: number; startMs: number };
}

export const ratioOf = (pair: Pair) =>
  pair.forwarder.relaysPerSec > 0 ? pair.bridge.relaysPerSec / pair.forwarder.relaysPerSec : 0;

const p = (figures: PassFigures, q: number) => fixed(percentile(figures.ack.latencies, q));
const cpuPerReply = (figures: PassFigures) => fixed(figures.cpuMs / figures.replies, 2);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The figures of each pair, then the median ratio with its spread (the line to quote). */
export function reportPairs(pairs: Pair[], store: string): void {
  const compared = pairs.flatMap((pair) => (pair.compared ? [{ ...pair, bridge: pair.compared }] : []));
  if (compared.length === pairs.length) {
    console.log('\nthe compared build (--compare-dist), against the same forwarder runs:');
    reportRuns(compared, store, 'compared ');
    console.log('\nthis build:');
  }
  reportRuns(pairs, store, '');
}

function reportRuns(pairs: Pair[], store: string, prefix: string): void {
  console.log(
    '\n| pair | bridge relays/s | forwarder relays/s | ratio | ack p50 / p99 | peak RSS | idle RSS | CPU/reply |',
  );
  console.log(
    '| ---- | --------------- | ------------------ | ----- | ------------- | -------- | -------- | --------- |',
  );
  pairs.forEach((pair, i) => {
    const b = pair.bridge;
    console.log(
      `| ${i + 1} | ${fixed(b.relaysPerSec)} | ${fixed(pair.forwarder.relaysPerSec)} | ${fixed(ratioOf(pair), 2)} | ` +
        `${p(b, 50)} / ${p(b, 99)} ms | ${fixed(mb(b.peakRssKb))} MB | ${fixed(mb(b.idleRssKb))} MB | ` +
        `${cpuPerReply(b)} ms |`,
    );
  });
  for (const [i, { bridge, forwarder }] of pairs.entries()) {
    const v = bridge.verdict;
    console.log(
      `pair ${i + 1}: bridge lost ${v.lost}, doubled ${v.doubled}, out of order ${v.outOfOrder}, healthy ` +
        `${fixed(bridge.startMs, 0)} ms after spawn; forwarder ack p50 / p99 ${p(forwarder, 50)} / ${p(forwarder, 99)} ms, ` +
        `peak RSS ${fixed(mb(forwarder.peakRssKb))} MB, CPU/reply ${cpuPerReply(forwarder)} ms` +
        `${bridge.receipts ? `; bridge ${bridge.receipts}` : ''}`,
    );
  }
  const ratios = pairs.map(ratioOf);
  const p99s = pairs.map((pair) => percentile(pair.bridge.ack.latencies, 99));
  const bridges = pairs.map((pair) => pair.bridge);
  console.log(`\n${machine()}`);
  console.log(
    `${prefix}ratio median=${fixed(median(ratios), 2)} min=${fixed(Math.min(...ratios), 2)} max=${fixed(Math.max(...ratios), 2)} ` +
      `(store ${store}, pairs ${ratios.map((r) => fixed(r, 2)).join(' ')})`,
  );
  console.log(
    `${prefix}bridge relays_per_s median=${fixed(median(bridges.map((b) => b.relaysPerSec)))} ` +
      `ack_p50_ms median=${fixed(median(bridges.map((b) => percentile(b.ack.latencies, 50))))} ` +
      `ack_p99_ms median=${fixed(median(p99s))} min=${fixed(Math.min(...p99s))} max=${fixed(Math.max(...p99s))} ` +
      `peak_rss_mb max=${fixed(mb(Math.max(...bridges.map((b) => b.peakRssKb))))} ` +
      `idle_rss_mb median=${fixed(mb(median(bridges.map((b) => b.idleRssKb))))} ` +
      `cpu_ms_per_reply median=${fixed(median(bridges.map((b) => b.cpuMs / b.replies)), 2)} ` +
      `(forwarder ${fixed(median(pairs.map((pair) => pair.forwarder.cpuMs / pair.forwarder.replies)), 2)})`,
  );
}

const mib = (bytes: number) => `${fixed(bytes / 1024 / 1024)} MB`;
const heap = ({ memory: m }: PassFigures) =>
  m ? `${mib(m.heapUsed)} / ${mib(m.heapTotal)} | ${mib(m.external)}` : '- | -';

/** RSS after each pass of one long-running app. */
export function reportSoak(idleRssKb: number, warmup: number, passes: PassFigures[]): void {
  console.log(
    '\n| pass | replies so far | relays/s | ack p50 / p99 | RSS after | peak RSS | heap used / total | external | CPU/reply |',
  );
  console.log(
    '| ---- | -------------- | -------- | ------------- | --------- | -------- | ----------------- | -------- | --------- |',
  );
  let sofar = 0;
  const peakAfter = new Map<number, number>();
  passes.forEach((pass, i) => {
    sofar += pass.replies;
    peakAfter.set(sofar, pass.peakRssKb);
    console.log(
      `| ${i + 1} | ${sofar} | ${fixed(pass.relaysPerSec)} | ${p(pass, 50)} / ${p(pass, 99)} ms | ` +
        `${fixed(mb(pass.rssKb))} MB | ${fixed(mb(pass.peakRssKb))} MB | ${heap(pass)} | ${cpuPerReply(pass)} ms |`,
    );
  });
  const lost = passes.reduce((n, pass) => n + pass.verdict.lost + pass.verdict.doubled + pass.verdict.outOfOrder, 0);
  console.log(`\n${machine()}`);
  const at = (n: number) => (peakAfter.has(n) ? fixed(mb(peakAfter.get(n) ?? 0)) : '-');
  console.log(
    `soak idle_rss_mb=${fixed(mb(idleRssKb))} peak_rss_mb_after_4000=${at(4000)} peak_rss_mb_after_20000=${at(20000)} ` +
      `rss_mb_after_last=${fixed(mb(passes.at(-1)?.rssKb ?? 0))} replies=${sofar} (after ${warmup} warm-up) ` +
      `lost_doubled_or_out_of_order=${lost}`,
  );
}

/** The top self-time functions of each CPU profile written into `dir`. */
export function reportProfiles(dir: string): void {
  for (const file of profilesIn(dir)) {
    console.log(`\nCPU profile of the bridge: ${file}\ntop self time:`);
    for (const t of topSelfTime(file, 25))
      console.log(`  ${fixed(t.ms, 0).padStart(7)} ms ${fixed(t.share * 100).padStart(5)}%  ${t.name}`);
  }
}

function machine(): string {
  const cpu = cpus();
  const load = loadavg().map((l) => fixed(l, 2));
  return (
    `machine: ${cpu[0]?.model.trim() ?? 'unknown cpu'}, ${cpu.length} cores, node ${process.version}, ` +
    `load average ${load.join(' ')} at the end (other work on the machine skews the figures)`
  );
}
