import type { FakeDevin } from '../test/support/fake-devin';
import type { AppMemory } from './app-memory';
import { DeliveryLog, type Verdict } from './delivery-log';
import { buildReplies, type PassResult, type Reply, sendPass } from './load';
import { SIGNING_SECRET, type Target } from './targets';

export interface PassOptions {
  connections: number;
  /** ms to wait for every reply to reach Devin */
  deliveryTimeoutMs: number;
}

/** What one pass of replies measured. */
export interface PassFigures {
  replies: number;
  relaysPerSec: number;
  ack: PassResult;
  verdict: Verdict;
  /** CPU time (user + system) the target used from the first send to the last delivery, ms */
  cpuMs: number;
  /** VmRSS (kB) once the pass was delivered */
  rssKb: number;
  /** peak resident memory (kB) of the process so far */
  peakRssKb: number;
  receipts?: string;
  /** the app's heap and external memory after the pass, from its /metrics */
  memory?: AppMemory;
}

/**
 * Sends `count` replies to the target (closed-loop, one in flight per thread) and waits until Devin received every
 * one of them; `afterDelivery` may wait for more (the receipts) and say what it saw.
 */
export async function runPass(
  target: Target,
  devin: FakeDevin,
  pass: string,
  count: number,
  options: PassOptions,
  hooks: { beforeSend?: () => void; afterDelivery?: (replies: Reply[]) => Promise<string> } = {},
): Promise<PassFigures> {
  const replies = buildReplies(pass, count, target.threads);
  const log = new DeliveryLog(devin);
  hooks.beforeSend?.();
  const cpuBefore = target.process.cpuMs();
  const ack = await sendPass(target.origin, SIGNING_SECRET, replies, {
    connections: options.connections,
    timeoutMs: 60_000,
  });
  const name = `${target.process.name} ${pass}`;
  if (ack.failed > 0) throw new Error(`${name}: ${ack.failed} replies failed; ${ack.firstFailure}`);
  const verdict = await log.waitFor(replies, options.deliveryTimeoutMs);
  const cpuMs = target.process.cpuMs() - cpuBefore;
  const relaysPerSec =
    verdict.lastAt > ack.startedAt ? (verdict.received / (verdict.lastAt - ack.startedAt)) * 1000 : 0;
  const rssKb = target.process.rssKb();
  const peakRssKb = target.process.peakRssKb();
  const receipts = await hooks.afterDelivery?.(replies);
  const late = log.verdict(replies).received - verdict.received;
  const lateNote = late > 0 ? `; ${late} more reached Devin after the delivery wait, while receipts were awaited` : '';
  return {
    replies: count,
    relaysPerSec,
    ack,
    verdict,
    cpuMs,
    rssKb,
    peakRssKb,
    ...(receipts ? { receipts: receipts + lateNote } : {}),
  };
}

/** A warm-up pass: every reply must be answered 200 and reach Devin, nothing is reported. */
export async function warmUp(target: Target, devin: FakeDevin, count: number, options: PassOptions): Promise<void> {
  if (count <= 0) return;
  const figures = await runPass(target, devin, `warmup-${target.process.name}`, count, options);
  if (figures.verdict.lost > 0) {
    throw new Error(`${target.process.name} warm-up: ${figures.verdict.lost} replies never reached Devin`);
  }
}
