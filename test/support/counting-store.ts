import { type StoreCall, StoreWrapper } from './store-wrapper';

export interface StoreOp {
  op: 'get' | 'set' | 'delete' | 'index put' | 'index lower' | 'index replace' | 'index remove';
  /** The key, or the index name followed by the member. */
  key: string;
}

const RECORDED = new Set<StoreCall>([
  'get',
  'set',
  'delete',
  'index put',
  'index lower',
  'index replace',
  'index remove',
]);

/** A store that records the app's reads and writes (claims and index reads are passed through unrecorded). */
export class CountingStore extends StoreWrapper {
  readonly ops: StoreOp[] = [];

  /** The recorded operations of one kind on keys starting with `prefix`, from `from` on. */
  count(op: StoreOp['op'], prefix: string, from = 0): number {
    return this.ops.slice(from).filter((o) => o.op === op && o.key.startsWith(prefix)).length;
  }

  protected before(call: StoreCall, key: string): void {
    if (RECORDED.has(call)) this.ops.push({ op: call as StoreOp['op'], key });
  }
}
