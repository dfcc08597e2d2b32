import type { ReplyQueue } from '../../src/relay/ports/reply-queue';
import type { SortedIndex, Store } from '../../src/relay/ports/store';
import { Harness } from '../support/harness';

// Every call the app makes to its store and reply queue, in order, with whether Devin had accepted the reply yet.
interface Call {
  call: string;
  beforeDevin: boolean;
}

let h: Harness;
let calls: Call[] = [];
let watching: { sessionId: string } | undefined;
afterEach(() => h?.close());

/** `target` with every call that returns a promise written down (an index's as `index.<method>`). */
function recorded<T extends object>(target: T, kind: string): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      if (property === 'index')
        return (name: string) => recorded((object as Store).index(name) as SortedIndex & object, 'index');
      return (...args: unknown[]) => {
        const answer = (value as (...a: unknown[]) => unknown).apply(object, args);
        if (watching && answer instanceof Promise && property !== 'close')
          calls.push({ call: `${kind}.${property}`, beforeDevin: h.devin.delivered(watching.sessionId).length === 0 });
        return answer;
      };
    },
  });
}

describe.each([
  ['SQLite', undefined],
  ['memory', 'memory://'],
])('store calls per reply on %s', (_name, storeUrl) => {
  beforeEach(async () => {
    calls = [];
    watching = undefined;
    h = await Harness.start({
      ...(storeUrl ? { storeUrl } : {}),
      wrapStore: (store) => recorded(store, 'store'),
      wrapQueue: (queue) => recorded(queue as ReplyQueue & object, 'queue'),
    });
  });

  it("makes 5 store calls from a lone reply's Slack event to Devin's acceptance (7 before)", async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    await h.idle();
    watching = { sessionId };
    await h.reply(threadTs, 'one lone reply');
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    watching = undefined;
    // The binding read, the record (claims, caps, and the held replies woken), the head of the queue, the words'
    // fingerprint against echoes, and the attempt's mark before the request goes out.
    expect(calls.filter((c) => c.beforeDevin).map((c) => c.call)).toEqual([
      'store.get',
      'queue.record',
      'queue.head',
      'index.put',
      'queue.update',
    ]);
    expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: one lone reply']);
  });
});
