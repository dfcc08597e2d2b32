import { type Store, StoreError } from '../../src/relay/ports/store';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { type LeaseTimers, StoreLeases } from '../../src/store/store-leases';

/** Time that moves only when the test says so, with the renewal timers a lease sets. */
class FakeTimers implements LeaseTimers {
  time = 1_000_000;
  private timers: Array<{ every: number; next: number; work: () => void }> = [];
  /** A stalled process: its timers do not fire (a long GC pause, SIGSTOP, a blocked event loop). */
  stalled = false;

  now(): number {
    return this.time;
  }

  every(ms: number, work: () => void): () => void {
    const timer = { every: ms, next: this.time + ms, work };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  get running(): number {
    return this.timers.length;
  }

  /** Moves time forward in steps, firing due timers (unless stalled) and letting their renewals finish. */
  async advance(ms: number, step = 100): Promise<void> {
    for (let moved = 0; moved < ms; moved += step) {
      this.time += step;
      if (this.stalled) continue;
      for (const timer of [...this.timers]) {
        if (timer.next > this.time) continue;
        timer.next += timer.every;
        timer.work();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** A store whose every call fails while `down` is set. */
function flaky(inner: Store): Store & { down: boolean } {
  const wrapper = {
    down: false,
    shared: inner.shared,
  } as Store & { down: boolean };
  for (const name of ['get', 'set', 'delete', 'claim', 'claimed', 'release', 'renew', 'ping'] as const) {
    (wrapper as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      wrapper.down
        ? Promise.reject(new StoreError('store renew failed: connection refused', name, String(args[0])))
        : (inner[name] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
  }
  wrapper.index = (name) => inner.index(name);
  wrapper.close = () => inner.close();
  return wrapper;
}

let timers: FakeTimers;
let store: SqliteStore;
beforeEach(async () => {
  timers = new FakeTimers();
  store = await SqliteStore.open(':memory:', () => timers.now());
});
afterEach(() => store.close());

const replica = (options: { onLost?: (key: string, reason: string) => void } = {}) =>
  new StoreLeases(store, { ttlMs: 10_000, timers, ...options });

it('lets one holder have a lease at a time, and gives it back on release', async () => {
  const a = replica();
  const b = replica();
  const held = await a.take('deliver:devin-1');
  expect(held?.key).toBe('lease:deliver:devin-1');
  expect(await b.take('deliver:devin-1')).toBeUndefined();
  await held?.release();
  expect(await b.take('deliver:devin-1')).toBeDefined();
});

it('keeps a lease for as long as its holder runs, renewing it in the background', async () => {
  const a = replica();
  const b = replica();
  const held = await a.take('poll:devin-1');
  await timers.advance(60_000);
  expect(await b.take('poll:devin-1')).toBeUndefined();
  expect(await held?.check()).toBe(true);
  expect(held?.firm(5000)).toBe(true);
});

it('lets another replica take the lease within its time to live once the holder stops renewing it', async () => {
  const a = replica();
  const b = replica();
  await a.take('deliver:devin-1');
  timers.stalled = true;
  await timers.advance(9_900);
  expect(await b.take('deliver:devin-1')).toBeUndefined();
  await timers.advance(200);
  expect(await b.take('deliver:devin-1')).toBeDefined();
});

it('fences a holder that stalled: once another replica has the lease, its checks fail and it gives nothing back', async () => {
  const lost: string[] = [];
  const a = replica({ onLost: (key) => lost.push(key) });
  const b = replica();
  const stale = await a.take('deliver:devin-1');
  timers.stalled = true;
  await timers.advance(12_000);
  expect(stale?.firm(0)).toBe(false);
  const fresh = await b.take('deliver:devin-1');
  timers.stalled = false;
  expect(await stale?.check()).toBe(false);
  expect(lost).toEqual(['lease:deliver:devin-1']);
  await stale?.release();
  // The new holder's lease is untouched by the old one's release.
  expect(await fresh?.check()).toBe(true);
  expect(a.count).toBe(0);
});

it('is firm only while enough of its time to live is left', async () => {
  const held = await replica().take('deliver:devin-1');
  timers.stalled = true;
  await timers.advance(4_000);
  expect(held?.firm(5_000)).toBe(true);
  await timers.advance(2_000);
  expect(held?.firm(5_000)).toBe(false);
  expect(held?.firm(1_000)).toBe(true);
});

it('stays the holder through a short store outage, and is lost once it would have lapsed', async () => {
  const failing = flaky(store);
  const lost: string[] = [];
  const held = await new StoreLeases(failing, {
    ttlMs: 10_000,
    timers,
    onLost: (_key, reason) => lost.push(reason),
  }).take('deliver:devin-1');
  failing.down = true;
  await timers.advance(5_000);
  expect(await held?.check()).toBe(true);
  expect(lost).toEqual([]);
  await timers.advance(6_000);
  expect(await held?.check()).toBe(false);
  expect(lost).toEqual([expect.stringContaining('connection refused')]);
});

it('gives back every lease it holds at shutdown, and stops renewing them', async () => {
  const a = replica();
  const b = replica();
  await a.take('deliver:devin-1');
  await a.take('poll:devin-2');
  expect(a.count).toBe(2);
  await a.releaseAll();
  expect(a.count).toBe(0);
  expect(timers.running).toBe(0);
  expect(await b.take('deliver:devin-1')).toBeDefined();
  expect(await b.take('poll:devin-2')).toBeDefined();
});

it('runs work under a lease, and skips it while another holder has the lease', async () => {
  const a = replica();
  const b = replica();
  const ran: string[] = [];
  await a.with('poll:devin-1', async () => {
    ran.push('a');
    expect(await b.with('poll:devin-1', async () => ran.push('b'))).toBeUndefined();
  });
  await b.with('poll:devin-1', async () => ran.push('b'));
  expect(ran).toEqual(['a', 'b']);
});
