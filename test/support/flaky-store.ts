import { StoreError } from '../../src/relay/ports/store';
import { type StoreCall, StoreWrapper } from './store-wrapper';

export type FlakyOp = StoreCall;

interface Rule {
  op: FlakyOp;
  prefix: string;
  skip: number;
  times: number;
}

/** A store that fails chosen calls as an unreachable store does (with a `StoreError`), and passes the rest through. */
export class FlakyStore extends StoreWrapper {
  /** The calls that were made to fail, as `op key`. */
  readonly failed: string[] = [];
  private readonly rules: Rule[] = [];
  private isDown = false;

  /** Every call fails, as with a store that is down, until `up()`. */
  down(): void {
    this.isDown = true;
  }

  up(): void {
    this.isDown = false;
  }

  /** The next `times` calls of `op` on keys starting with `prefix` fail, once `skip` of them went through. */
  failNext(op: FlakyOp, prefix: string, options: { times?: number; skip?: number } = {}): void {
    this.rules.push({ op, prefix, skip: options.skip ?? 0, times: options.times ?? 1 });
  }

  protected before(op: StoreCall, key: string): void {
    if (this.isDown) {
      this.failed.push(`${op} ${key}`);
      throw new StoreError(`store ${op} failed for ${key}: connection refused (test)`, op, key);
    }
    const rule = this.rules.find((r) => r.op === op && key.startsWith(r.prefix) && r.times > 0);
    if (!rule) return;
    if (rule.skip > 0) {
      rule.skip -= 1;
      return;
    }
    rule.times -= 1;
    this.failed.push(`${op} ${key}`);
    throw new StoreError(`store ${op} failed for ${key}: connection lost (test)`, op, key);
  }
}
