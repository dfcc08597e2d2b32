import { Writable } from 'node:stream';
import type { webApi } from '@slack/bolt';
import { createLogger } from '../../../src/lib/logger';
import type { Person } from '../../../src/relay/person-sessions';
import { FeedbackQueue } from '../../../src/slack/outbound/feedback-queue';
import { HomeTab, type Timers } from '../../../src/slack/outbound/home-tab';
import { TestClock } from '../../support/test-clock';

/** Time and timers that move only when the test says. */
class FakeTimers implements Timers {
  private time = 1_000_000;
  private pending: Array<{ at: number; run: () => void; handle: number }> = [];
  private handles = 0;

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    this.handles += 1;
    this.pending.push({ at: this.time + ms, run, handle: this.handles });
    return this.handles;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.handle !== handle);
  }

  get waiting(): number {
    return this.pending.length;
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.pending.filter((p) => p.at <= this.time);
    this.pending = this.pending.filter((p) => p.at > this.time);
    for (const timer of due) timer.run();
  }
}

const alice: Person = { team: 'T1', userId: 'U1' };
const bob: Person = { team: 'T1', userId: 'U2' };

function setUp() {
  const timers = new FakeTimers();
  const published: Array<{ user_id: string; notice: boolean }> = [];
  const client = {
    views: {
      publish: async (args: { user_id: string; view: { blocks: Array<{ type: string }> } }) => {
        published.push({ user_id: args.user_id, notice: args.view.blocks.some((b) => b.type === 'context') });
        return { ok: true };
      },
    },
  } as unknown as webApi.WebClient;
  const log = createLogger({
    level: 'error',
    secrets: [],
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  const queue = new FeedbackQueue({ clock: new TestClock(), log });
  const home = new HomeTab({
    client,
    queue,
    people: { changed: async () => [alice, bob] },
    list: async () => ({ kind: 'listed', sessions: [] }),
    log,
    refreshMs: 60_000,
    timers,
  });
  return { timers, published, queue, home };
}

describe('HomeTab', () => {
  it("publishes a session's people at once after a change, then at most once a minute each", async () => {
    const { timers, published, queue, home } = setUp();
    home.sessionChanged('devin-a');
    await new Promise((resolve) => setImmediate(resolve));
    await queue.idle();
    expect(published.map((p) => p.user_id)).toEqual(['U1', 'U2']);

    timers.advance(10_000);
    home.sessionChanged('devin-a');
    home.sessionChanged('devin-b');
    await new Promise((resolve) => setImmediate(resolve));
    await queue.idle();
    expect(published).toHaveLength(2);
    expect(timers.waiting).toBe(2);

    timers.advance(49_999);
    await queue.idle();
    expect(published).toHaveLength(2);
    timers.advance(1);
    await queue.idle();
    expect(published.map((p) => p.user_id)).toEqual(['U1', 'U2', 'U1', 'U2']);
    expect(timers.waiting).toBe(0);
  });

  it('publishes at once for whoever opens it, and counts that publish for the once-a-minute rule', async () => {
    const { timers, published, queue, home } = setUp();
    home.show(alice);
    await queue.idle();
    timers.advance(30_000);
    home.sessionChanged('devin-a');
    await new Promise((resolve) => setImmediate(resolve));
    await queue.idle();
    // Bob had nothing published: at once; Alice waits out her minute.
    expect(published.map((p) => p.user_id)).toEqual(['U1', 'U2']);
    timers.advance(30_000);
    await queue.idle();
    expect(published.map((p) => p.user_id)).toEqual(['U1', 'U2', 'U1']);
  });

  it('drops the refreshes still waiting when it stops', async () => {
    const { timers, published, queue, home } = setUp();
    home.show(alice);
    await queue.idle();
    home.sessionChanged('devin-a');
    await new Promise((resolve) => setImmediate(resolve));
    home.stop();
    timers.advance(120_000);
    await queue.idle();
    expect(published.map((p) => p.user_id)).toEqual(['U1', 'U2']);
  });
});
