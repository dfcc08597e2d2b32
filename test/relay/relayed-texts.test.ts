import type { Store } from '../../src/relay/ports/store';
import { RelayedTexts } from '../../src/relay/relayed-texts';
import { fingerprint } from '../../src/relay/session-news';
import { memoryParts } from '../support/domain-parts';

describe('RelayedTexts', () => {
  let store: Store;
  let close: () => Promise<void>;
  let now: number;
  let relayed: RelayedTexts;
  beforeEach(async () => {
    ({ store, close } = await memoryParts());
    now = 1_000_000;
    relayed = new RelayedTexts(store, () => now);
  });
  afterEach(() => close());

  it('keeps each relayed text, the same words twice as two, oldest first', async () => {
    await relayed.add('devin-s1', 'yes');
    now += 1;
    await relayed.add('devin-s1', 'yes');
    const listed = await relayed.list('devin-s1');
    expect(listed.map((r) => r.fingerprint)).toEqual([fingerprint('yes'), fingerprint('yes')]);
    expect(new Set(listed.map((r) => r.id)).size).toBe(2);
    expect(await relayed.list('devin-s2')).toEqual([]);
  });

  it('forgets one that came back, and those too old to come back at all', async () => {
    await relayed.add('devin-s1', 'first');
    now += 24 * 60 * 60_000 - 1;
    await relayed.add('devin-s1', 'second');
    const [first] = await relayed.list('devin-s1');
    await relayed.forget('devin-s1', [first?.id as string]);
    expect((await relayed.list('devin-s1')).map((r) => r.fingerprint)).toEqual([fingerprint('second')]);
    now += 24 * 60 * 60_000 + 1;
    expect(await relayed.list('devin-s1')).toEqual([]);
  });
});
