import type { FakeDevin } from '../test/support/fake-devin';
import type { Reply } from './load';

const MESSAGE_PATH = /^\/v1\/sessions\/([^/]+)\/message$/;
const BENCH_TEXT = /bench (\S+) (\d+)$/;

export interface Verdict {
  received: number;
  lost: number;
  doubled: number;
  /** replies Devin received after a later reply of the same thread */
  outOfOrder: number;
  /** Date.now() at which Devin received the last reply that arrived (first copies only) */
  lastAt: number;
}

/** What the fake Devin received of the bench's replies, read incrementally from its request log. */
export class DeliveryLog {
  private cursor: number;
  /** `${pass} ${index}` -> arrival times */
  private readonly arrivals = new Map<string, number[]>();
  /** session id -> `${pass} ${index}` in arrival order */
  private readonly bySession = new Map<string, string[]>();

  constructor(private readonly devin: FakeDevin) {
    this.cursor = devin.requests.length;
  }

  /** Waits until every reply arrived at least once, or `timeoutMs` passed; returns the verdict either way. */
  async waitFor(replies: Reply[], timeoutMs: number): Promise<Verdict> {
    const deadline = Date.now() + timeoutMs;
    while (this.count(replies) < replies.length) {
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.verdict(replies);
  }

  verdict(replies: Reply[]): Verdict {
    this.scan();
    const verdict: Verdict = { received: 0, lost: 0, doubled: 0, outOfOrder: 0, lastAt: 0 };
    for (const reply of replies) {
      const times = this.arrivals.get(`${reply.pass} ${reply.index}`);
      if (!times) verdict.lost += 1;
      else {
        verdict.received += 1;
        if (times.length > 1) verdict.doubled += 1;
        verdict.lastAt = Math.max(verdict.lastAt, times[0] ?? 0);
      }
    }
    const sentOrder = new Map(replies.map((r, i) => [`${r.pass} ${r.index}`, i]));
    const sessions = new Set(replies.map((r) => r.thread.sessionId));
    for (const sessionId of sessions) {
      let latest = -1;
      const seen = new Set<string>();
      for (const key of this.bySession.get(sessionId) ?? []) {
        const order = sentOrder.get(key);
        if (order === undefined || seen.has(key)) continue;
        seen.add(key);
        if (order < latest) verdict.outOfOrder += 1;
        latest = Math.max(latest, order);
      }
    }
    return verdict;
  }

  private count(replies: Reply[]): number {
    this.scan();
    let n = 0;
    for (const reply of replies) if (this.arrivals.has(`${reply.pass} ${reply.index}`)) n += 1;
    return n;
  }

  private scan(): void {
    const requests = this.devin.requests;
    for (; this.cursor < requests.length; this.cursor += 1) {
      const request = requests[this.cursor];
      const session = request?.method === 'POST' ? MESSAGE_PATH.exec(request.path)?.[1] : undefined;
      const text = BENCH_TEXT.exec(String(request?.body?.message ?? ''));
      if (!request || !session || !text) continue;
      const key = `${text[1]} ${text[2]}`;
      const times = this.arrivals.get(key) ?? [];
      times.push(request.at);
      this.arrivals.set(key, times);
      const order = this.bySession.get(session) ?? [];
      order.push(key);
      this.bySession.set(session, order);
    }
  }
}
