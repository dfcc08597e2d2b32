import type { ReplyQueue } from '../relay/ports/reply-queue';
import type { SortedIndex, Store } from '../relay/ports/store';
import type { Metrics } from './metrics';

/** The store, each call timed (and counted when it fails) under `store.<method>`. */
export function meteredStore(store: Store, metrics: Metrics): Store {
  return metered(store, 'store', metrics, {
    index: (name: string) => metered(store.index(name), 'index', metrics),
  });
}

/** The reply queue, each call timed (and counted when it fails) under `queue.<method>`. */
export function meteredQueue(queue: ReplyQueue, metrics: Metrics): ReplyQueue {
  return metered(queue, 'queue', metrics);
}

/**
 * A view of `target` whose methods returning promises are timed. The operation label is the method's name, so it takes
 * only as many values as the interface has methods.
 */
function metered<T extends Store | ReplyQueue | SortedIndex>(
  target: T,
  kind: string,
  metrics: Metrics,
  overrides: Record<string, unknown> = {},
): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property, receiver) {
      if (property in overrides) return overrides[property as string];
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'close') return value;
      let method = wrapped.get(property);
      if (!method) {
        const operation = `${kind}.${property}`;
        method = (...args: unknown[]) => {
          const answer = (value as (...a: unknown[]) => unknown).apply(object, args);
          if (!(answer instanceof Promise)) return answer;
          const done = metrics.storeOperations.startTimer({ operation });
          return answer.then(
            (result) => {
              done();
              return result;
            },
            (error: unknown) => {
              done();
              metrics.storeErrors.inc({ operation });
              throw error;
            },
          );
        };
        wrapped.set(property, method);
      }
      return method;
    },
  });
}
