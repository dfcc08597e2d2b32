import { createHmac } from 'node:crypto';
import { Pool } from 'undici';
import { threadReply } from '../test/support/slack-signing';

export interface BoundThread {
  sessionId: string;
  threadTs: string;
}

export interface Reply {
  pass: string;
  index: number;
  thread: BoundThread;
  ts: string;
  body: string;
}

export interface PassResult {
  /** Date.now() when the first request was sent */
  startedAt: number;
  /** send -> HTTP answer, ms, one per reply */
  latencies: number[];
  /** replies answered anything but 200 */
  failed: number;
  firstFailure?: string;
}

/**
 * `count` thread replies spread round-robin over `threads`, with increasing ts values (nextTs) and unique event ids.
 * The text `bench <pass> <index>` lets the delivery log match what Devin receives.
 */
export function buildReplies(pass: string, count: number, threads: BoundThread[]): Reply[] {
  return Array.from({ length: count }, (_, index) => {
    const thread = threads[index % threads.length] as BoundThread;
    const payload = threadReply(thread.threadTs, `bench ${pass} ${index}`);
    return { pass, index, thread, ts: String(payload.event.ts), body: JSON.stringify(payload) };
  });
}

/** Sends the replies in order, closed-loop, over `connections` keep-alive connections; each is signed when sent. */
export async function sendPass(
  origin: string,
  secret: string,
  replies: Reply[],
  options: { connections: number; timeoutMs: number },
): Promise<PassResult> {
  const pool = new Pool(origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const result: PassResult = { startedAt: Date.now(), latencies: new Array(replies.length).fill(0), failed: 0 };
  let next = 0;
  // People type one reply after another: a thread never has two replies in flight (Slack sends them in order).
  const lastOfThread = new Map<string, Promise<void>>();
  const worker = async () => {
    for (let i = next++; i < replies.length; i = next++) {
      const reply = replies[i] as Reply;
      const previous = lastOfThread.get(reply.thread.threadTs);
      let done = () => {};
      lastOfThread.set(
        reply.thread.threadTs,
        new Promise<void>((resolve) => {
          done = resolve;
        }),
      );
      await previous;
      try {
        await send(reply, i);
      } finally {
        done();
      }
    }
  };
  const send = async (reply: Reply, i: number) => {
    {
      const timestamp = Math.floor(Date.now() / 1000);
      const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${reply.body}`).digest('hex');
      const sent = performance.now();
      try {
        const res = await pool.request({
          path: '/slack/events',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-slack-signature': `v0=${digest}`,
            'x-slack-request-timestamp': String(timestamp),
          },
          body: reply.body,
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        });
        const text = await res.body.text();
        result.latencies[i] = performance.now() - sent;
        if (res.statusCode !== 200) {
          result.failed += 1;
          result.firstFailure ??= `reply ${reply.index} answered ${res.statusCode}: ${text.slice(0, 200)}`;
        }
      } catch (error) {
        result.latencies[i] = performance.now() - sent;
        result.failed += 1;
        result.firstFailure ??= `reply ${reply.index}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    await pool.close();
  }
  return result;
}

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
