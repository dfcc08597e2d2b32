import { defaultPollPolicy, nextPollDelay, nextSafetyPoll, type PollPolicy } from '../../src/relay/poll-schedule';

const policy: PollPolicy = { activeMs: 1000, maxWorkingMs: 8000, maxIdleMs: 60_000, idleAfterPolls: 3 };

describe('defaultPollPolicy', () => {
  it('polls at the given interval, idles after 12 quiet polls and waits at most one minute (working) or five', () => {
    expect(defaultPollPolicy(5000)).toEqual({
      activeMs: 5000,
      maxWorkingMs: 60_000,
      maxIdleMs: 300_000,
      idleAfterPolls: 12,
    });
  });
});

describe('nextPollDelay', () => {
  it('polls a working session at the active interval while it has been quiet for few polls', () => {
    for (let quiet = 0; quiet <= policy.idleAfterPolls; quiet += 1) {
      expect(nextPollDelay('working', quiet, policy)).toBe(policy.activeMs);
    }
  });

  it('doubles the wait for a working session with each quiet poll past idleAfterPolls, up to maxWorkingMs', () => {
    const delays = [1, 2, 3, 4, 5, 50].map((extra) => nextPollDelay('working', policy.idleAfterPolls + extra, policy));
    expect(delays).toEqual([2000, 4000, 8000, 8000, 8000, 8000]);
  });

  it('never polls a working session less often than activeMs, even when maxWorkingMs is smaller', () => {
    const odd: PollPolicy = { ...policy, activeMs: 10_000, maxWorkingMs: 1000 };
    expect(nextPollDelay('working', 0, odd)).toBe(10_000);
    expect(nextPollDelay('working', 100, odd)).toBe(10_000);
  });

  it('treats an unknown state like a working session until it starts slowing down', () => {
    for (let quiet = 0; quiet <= policy.idleAfterPolls + 3; quiet += 1) {
      expect(nextPollDelay(undefined, quiet, policy)).toBe(nextPollDelay('working', quiet, policy));
    }
    expect(nextPollDelay(undefined, 0, policy)).toBe(policy.activeMs);
  });

  it('slows an idle session of unknown state down to maxIdleMs', () => {
    const delays = [4, 5, 6, 7].map((extra) => nextPollDelay(undefined, policy.idleAfterPolls + extra, policy));
    expect(delays).toEqual([16_000, 32_000, 60_000, 60_000]);
  });

  it.each(['waiting', 'asleep'] as const)(
    'slows down a %s session from the first quiet poll, doubling each time',
    (state) => {
      const delays = [0, 1, 2, 3].map((quiet) => nextPollDelay(state, quiet, policy));
      expect(delays[0]).toBeGreaterThan(policy.activeMs);
      expect(delays).toEqual([2000, 4000, 8000, 16_000]);
    },
  );

  it.each(['waiting', 'asleep'] as const)('caps the wait of a %s session at maxIdleMs', (state) => {
    expect(nextPollDelay(state, 4, policy)).toBe(32_000);
    expect(nextPollDelay(state, 5, policy)).toBe(policy.maxIdleMs);
    expect(nextPollDelay(state, 40, policy)).toBe(policy.maxIdleMs);
  });

  it('reaches the one- and five-minute caps with the default policy', () => {
    const defaults = defaultPollPolicy(5000);
    expect(nextPollDelay('working', 12, defaults)).toBe(5000);
    expect(nextPollDelay('working', 13, defaults)).toBe(10_000);
    expect(nextPollDelay('working', 30, defaults)).toBe(60_000);
    expect(nextPollDelay('asleep', 0, defaults)).toBe(10_000);
    expect(nextPollDelay('waiting', 10, defaults)).toBe(300_000);
  });

  it.each([
    ['working', 10_000, 8000],
    ['working', 2 ** 40, 8000],
    ['working', Number.MAX_SAFE_INTEGER, 8000],
    [undefined, Number.MAX_SAFE_INTEGER, 60_000],
    ['waiting', 2 ** 40, 60_000],
    ['asleep', Number.MAX_SAFE_INTEGER, 60_000],
  ] as const)('does not overflow for a %s session quiet for %d polls', (state, quiet, cap) => {
    const delay = nextPollDelay(state, quiet, policy);
    expect(Number.isFinite(delay)).toBe(true);
    expect(delay).toBe(cap);
  });

  it('stays finite when the caps are huge and quietPolls is huge', () => {
    const wide: PollPolicy = {
      activeMs: 1000,
      maxWorkingMs: Number.MAX_VALUE,
      maxIdleMs: Number.MAX_VALUE,
      idleAfterPolls: 0,
    };
    for (const state of ['working', 'asleep', undefined] as const) {
      const delay = nextPollDelay(state, Number.MAX_SAFE_INTEGER, wide);
      expect(Number.isFinite(delay)).toBe(true);
      expect(delay).toBeGreaterThan(wide.activeMs);
    }
  });
});

describe('nextSafetyPoll', () => {
  const HOUR = 3_600_000;
  const ids = Array.from({ length: 1200 }, (_, i) => `devin-${(i * 7919).toString(16).padStart(32, '0')}`);

  it('spreads the safety reads of many sessions evenly over the interval, whenever they were last read', () => {
    const now = 1_800_000_000_000;
    const perMinute = Array<number>(60).fill(0);
    for (const id of ids) {
      const at = nextSafetyPoll(id, now, HOUR, 5000);
      expect(at - now).toBeGreaterThanOrEqual(5000);
      expect(at - now).toBeLessThanOrEqual(HOUR + 5000);
      perMinute[Math.floor(((at - now) % HOUR) / 60_000)] += 1;
    }
    // 20 a minute on average; none of the minutes gets a burst.
    expect(Math.max(...perMinute)).toBeLessThanOrEqual(40);
    expect(Math.min(...perMinute)).toBeGreaterThanOrEqual(5);
  });

  it('keeps each session at its own moment of the hour: read again an hour later, not sooner than the minimum', () => {
    const id = ids[3] as string;
    const first = nextSafetyPoll(id, 1_800_000_000_000, HOUR, 5000);
    expect(nextSafetyPoll(id, first, HOUR, 5000)).toBe(first + HOUR);
    expect(nextSafetyPoll(id, first - 1000, HOUR, 5000)).toBe(first + HOUR);
    expect(nextSafetyPoll(id, first - 10_000, HOUR, 5000)).toBe(first);
  });
});
