import type { Binding } from '../../src/relay/model/threads';
import type { Store } from '../../src/relay/ports/store';
import { ThreadBindings } from '../../src/relay/thread-bindings';
import { createStore } from '../../src/store/create-store';
import { StoreLock } from '../../src/store/store-lock';

const thread = { team: 'T1', channel: 'C1', threadTs: '1.0' };
const other = { team: 'T1', channel: 'C2', threadTs: '2.0' };
const binding = (sessionId: string, where = thread): Binding => ({
  ...where,
  sessionId,
  sessionUrl: `https://app.devin.ai/sessions/${sessionId}`,
  boundAt: 1,
  boundBy: 'U1',
});

describe('ThreadBindings', () => {
  let store: Store;
  let bindings: ThreadBindings;
  beforeEach(async () => {
    store = await createStore('memory://');
    bindings = new ThreadBindings(store, new StoreLock(store));
  });
  afterEach(() => store.close());

  it('finds a session by its thread and the threads by their session', async () => {
    await bindings.bind(binding('devin-a'));
    await bindings.bind(binding('devin-a', other));
    expect(await bindings.forThread(thread)).toMatchObject({ sessionId: 'devin-a' });
    expect((await bindings.bindingsOf('devin-a')).map((b) => b.channel)).toEqual(['C1', 'C2']);
  });

  it("leaves a thread bound to another session since out of the first one's threads", async () => {
    await bindings.bind(binding('devin-a'));
    await bindings.bind(binding('devin-b'));
    expect(await bindings.bindingsOf('devin-a')).toEqual([]);
    expect((await bindings.bindingsOf('devin-b')).map((b) => b.sessionId)).toEqual(['devin-b']);
  });

  it('changes a bound thread in place, and nothing for a thread that is not bound', async () => {
    await bindings.bind(binding('devin-a'));
    await Promise.all(
      [1, 2, 3].map(() => bindings.update(thread, (b) => ({ skippedWhileMuted: (b.skippedWhileMuted ?? 0) + 1 }))),
    );
    expect(await bindings.forThread(thread)).toMatchObject({ skippedWhileMuted: 3 });
    expect(await bindings.update(other, { muted: true })).toBeUndefined();
    expect(await bindings.forThread(other)).toBeUndefined();
  });
});
