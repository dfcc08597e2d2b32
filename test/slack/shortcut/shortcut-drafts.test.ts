import type { Store } from '../../../src/relay/ports/store';
import { DRAFT_TTL_MS, ShortcutDrafts } from '../../../src/slack/shortcut/shortcut-drafts';
import { createStore } from '../../../src/store/create-store';

let store: Store;
let now = 1_700_000_000_000;
let drafts: ShortcutDrafts;
beforeEach(async () => {
  store = await createStore('memory://');
  drafts = new ShortcutDrafts(store, () => now);
});
afterEach(() => store.close());

const draft = (id: string, userId = 'U2') => ({
  id,
  message: { team: 'T1', channel: 'C1', ts: '1700000000.000100', user: 'U1', text: 'x'.repeat(10_000) },
  sender: { team: 'T1', userId },
});

describe('ShortcutDrafts', () => {
  it('gives a form its message, however long, once: to the person who made it', async () => {
    await drafts.save(draft('d1'));
    expect(await drafts.take('d1', 'U1')).toBeUndefined();
    expect(await drafts.take('d1', 'U2')).toMatchObject({ id: 'd1', message: { text: 'x'.repeat(10_000) }, at: now });
    expect(await drafts.take('d1', 'U2')).toBe('taken');
    expect(await drafts.take('unknown', 'U2')).toBeUndefined();
  });

  it('forgets drafts older than an hour as new ones are saved', async () => {
    await drafts.save(draft('old'));
    now += DRAFT_TTL_MS + 1;
    await drafts.save(draft('new'));
    expect(await drafts.take('old', 'U2')).toBeUndefined();
    expect(await drafts.take('new', 'U2')).toMatchObject({ id: 'new' });
  });
});
