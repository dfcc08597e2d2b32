import { LastWritten } from '../../src/lib/last-written';
import { TtlCache } from '../../src/lib/ttl-cache';

describe('TtlCache', () => {
  let now = 0;
  const cache = () => new TtlCache<string | undefined>({ ttlMs: 1000, max: 3, now: () => now });
  beforeEach(() => {
    now = 0;
  });

  it('answers an entry while it is fresh, and nothing once its time has passed (from time 0 on too)', () => {
    const c = cache();
    c.set('a', 'A');
    now = 999;
    expect(c.get('a')).toEqual({ value: 'A' });
    now = 1000;
    expect(c.get('a')).toBeUndefined();
  });

  it('remembers that a lookup found nothing, apart from not knowing', () => {
    const c = cache();
    c.set('nobody', undefined);
    expect(c.get('nobody')).toEqual({ value: undefined });
    expect(c.get('unknown')).toBeUndefined();
  });

  it('forgets the least recently used entry past its size, and a deleted one at once', () => {
    const c = cache();
    c.set('a', 'A');
    c.set('b', 'B');
    c.set('c', 'C');
    c.get('a');
    c.set('d', 'D');
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toEqual({ value: 'A' });
    c.delete('a');
    expect(c.get('a')).toBeUndefined();
  });

  it('counts freshness from when an entry was last set, not when it was read', () => {
    const c = cache();
    c.set('a', 'A');
    now = 900;
    expect(c.get('a')).toEqual({ value: 'A' });
    now = 1100;
    expect(c.get('a')).toBeUndefined();
    c.set('a', 'A2');
    now = 2000;
    expect(c.get('a')).toEqual({ value: 'A2' });
  });
});

describe('LastWritten', () => {
  it('skips the same value written again within the window, not another value nor after the window', () => {
    const written = new LastWritten(60_000);
    written.wrote('s1', 'U1', 1_000);
    expect(written.fresh('s1', 'U1', 60_999)).toBe(true);
    expect(written.fresh('s1', 'U2', 2_000)).toBe(false);
    expect(written.fresh('s1', 'U1', 61_000)).toBe(false);
    expect(written.fresh('s2', 'U1', 2_000)).toBe(false);
  });
});
