import { ChannelQueue } from '../../src/slack/channel-queue';
import { TestClock } from '../support/test-clock';

const spacingMs = 1000;

function setup(maxRateLimited = 3) {
  const clock = new TestClock();
  const queue = new ChannelQueue({ clock, spacingMs, maxRateLimited });
  return { clock, queue };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Shaped like @slack/web-api's WebAPIRateLimitedError: `retryAfter` is in seconds. */
function rateLimited(retryAfter: number): Error {
  return Object.assign(new Error(`A rate limit was exceeded (retry after ${retryAfter}s)`), {
    code: 'slack_webapi_rate_limited_error',
    retryAfter,
  });
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ChannelQueue', () => {
  it('posts to one channel one after another, in order, each waiting for the previous one', async () => {
    const { queue } = setup();
    const events: string[] = [];
    const first = deferred();
    const a = queue.post('C1', async () => {
      events.push('start 1');
      await first.promise;
      events.push('end 1');
      return 1;
    });
    const b = queue.post('C1', async () => {
      events.push('start 2');
      return 2;
    });
    const c = queue.post('C1', async () => {
      events.push('start 3');
      return 3;
    });
    for (let i = 0; i < 5; i += 1) await settle();
    expect(events).toEqual(['start 1']);
    first.resolve();
    await expect(Promise.all([a, b, c])).resolves.toEqual([1, 2, 3]);
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'start 3']);
  });

  it('spaces the posts of one channel by spacingMs', async () => {
    const { clock, queue } = setup();
    const sentAt: number[] = [];
    await Promise.all([1, 2, 3].map(() => queue.post('C1', async () => sentAt.push(clock.now()))));
    expect(clock.sleeps).toEqual([spacingMs, spacingMs]);
    expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(spacingMs);
    expect(sentAt[2] - sentAt[1]).toBeGreaterThanOrEqual(spacingMs);
  });

  it('does not wait when spacingMs has already passed since the last post', async () => {
    const { clock, queue } = setup();
    await queue.post('C1', async () => 'one');
    clock.advance(spacingMs);
    await queue.post('C1', async () => 'two');
    expect(clock.sleeps).toEqual([]);
  });

  it('lets other channels post while one channel is busy, without spacing between channels', async () => {
    const { clock, queue } = setup();
    const blocked = deferred();
    const slow = queue.post('C1', () => blocked.promise.then(() => 'C1'));
    await expect(queue.post('C2', async () => 'C2')).resolves.toBe('C2');
    await expect(queue.post('C3', async () => 'C3')).resolves.toBe('C3');
    expect(clock.sleeps).toEqual([]);
    blocked.resolve();
    await expect(slow).resolves.toBe('C1');
  });

  it('retries a rate-limited post after the Retry-After wait and returns its result', async () => {
    const { clock, queue } = setup();
    let calls = 0;
    const result = await queue.post('C1', async () => {
      calls += 1;
      if (calls === 1) throw rateLimited(7);
      return 'posted';
    });
    expect(result).toBe('posted');
    expect(calls).toBe(2);
    expect(clock.sleeps).toContain(7000);
  });

  it('gives up after maxRateLimited rate-limited answers and throws the last one', async () => {
    const { clock, queue } = setup(2);
    let calls = 0;
    const error = rateLimited(3);
    await expect(
      queue.post('C1', async () => {
        calls += 1;
        throw error;
      }),
    ).rejects.toBe(error);
    expect(calls).toBe(3);
    expect(clock.sleeps.filter((ms) => ms === 3000)).toHaveLength(2);
  });

  it('holds the rest of the channel back while a post waits out a rate limit', async () => {
    const { queue } = setup();
    const events: string[] = [];
    let calls = 0;
    const first = queue.post('C1', async () => {
      calls += 1;
      events.push(`first try ${calls}`);
      if (calls === 1) throw rateLimited(2);
    });
    const second = queue.post('C1', async () => {
      events.push('second');
    });
    await Promise.all([first, second]);
    expect(events).toEqual(['first try 1', 'first try 2', 'second']);
  });

  it('throws other errors at once without retrying', async () => {
    const { clock, queue } = setup();
    let calls = 0;
    const error = Object.assign(new Error('channel_not_found'), { code: 'slack_webapi_platform_error' });
    await expect(
      queue.post('C1', async () => {
        calls += 1;
        throw error;
      }),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('still runs the later posts of a channel after one of them fails', async () => {
    const { queue } = setup();
    const failing = queue.post('C1', async () => {
      throw new Error('boom');
    });
    const later = queue.post('C1', async () => 'later');
    const latest = queue.post('C1', async () => 'latest');
    await expect(failing).rejects.toThrow('boom');
    await expect(later).resolves.toBe('later');
    await expect(latest).resolves.toBe('latest');
    await expect(queue.post('C1', async () => 'afterwards')).resolves.toBe('afterwards');
  });
});
