/**
 * Relay throughput, latency and memory: the real app on a real port, signed Slack events over HTTP, the fake Devin
 * and Slack servers of the tests on loopback. Usage: `npm run bench -- [--replies 600] [--sessions 12] [--store sqlite|redis|memory]`.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Harness } from '../test/support/harness';
import { freshRedisUrl } from '../test/support/redis-test-url';
import { threadReply } from '../test/support/slack-signing';

const { values } = parseArgs({
  options: {
    replies: { type: 'string', default: '600' },
    sessions: { type: 'string', default: '12' },
    concurrency: { type: 'string', default: '16' },
    store: { type: 'string', default: 'sqlite' },
  },
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const total = Number(values.replies);
  const sessionCount = Number(values.sessions);
  const concurrency = Number(values.concurrency);
  const storeUrl =
    values.store === 'redis' ? await freshRedisUrl(14) : values.store === 'memory' ? 'memory://' : undefined;
  const h = await Harness.start({ ...(storeUrl ? { storeUrl } : {}), env: { LOG_LEVEL: 'warn' } });
  try {
    const threads: Array<{ sessionId: string; threadTs: string }> = [];
    for (let i = 0; i < sessionCount; i += 1) threads.push(await h.linkedThread());
    global.gc?.();
    const before = process.memoryUsage();
    const sentAt = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      for (let i = next++; i < total; i = next++) {
        const thread = threads[i % threads.length];
        if (!thread) return;
        const text = `reply ${i}`;
        sentAt.set(text, performance.now());
        const res = await h.event(threadReply(thread.threadTs, text));
        if (res.status !== 200) throw new Error(`event answered ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const accepted = performance.now();
    await Promise.all(
      threads.map((t, i) => h.devin.waitForDelivered(t.sessionId, Math.ceil((total - i) / sessionCount), 120_000)),
    );
    const done = performance.now();
    const after = process.memoryUsage();
    const latencies: number[] = [];
    for (const request of h.devin.requests) {
      const text = String(request.body?.message ?? '').replace(/^Alice \(via Slack\): /, '');
      const sent = sentAt.get(text);
      if (request.method === 'POST' && sent !== undefined) latencies.push(request.at - (performance.timeOrigin + sent));
    }
    latencies.sort((a, b) => a - b);
    const delivered = threads.reduce((n, t) => n + h.devin.delivered(t.sessionId).length, 0);
    console.log(
      `store ${values.store}, ${total} replies over ${sessionCount} sessions, ${concurrency} concurrent senders`,
    );
    console.log(`delivered ${delivered} (duplicates ${delivered - total})`);
    console.log(`events accepted: ${((total / (accepted - started)) * 1000).toFixed(0)}/s`);
    console.log(
      `end to end: ${((total / (done - started)) * 1000).toFixed(0)} replies/s in ${(done - started).toFixed(0)} ms`,
    );
    console.log(
      `latency event -> Devin: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms`,
    );
    console.log(`memory: rss ${mb(after.rss)} (+${mb(after.rss - before.rss)}), heap used ${mb(after.heapUsed)}`);
  } catch (error) {
    for (const line of h.logs.filter((l) => JSON.parse(l).level >= 40).slice(0, 20)) console.error(line);
    throw error;
  } finally {
    await h.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
