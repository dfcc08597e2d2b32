import type { Store } from '../store/store';
import type { StoreLock } from '../store/store-lock';
import { StoreSet } from '../store/store-set';
import type { Reply, ReplyState } from './types';

const outboxKey = (sessionId: string) => `outbox:${sessionId}`;

/**
 * The durable queue of replies per session, kept in the order they were written. A reply is here from the moment
 * it is accepted until Devin has it (or it can never be delivered), so a restart resumes instead of losing it.
 */
export class Outbox {
  private readonly index: StoreSet;

  constructor(
    private readonly store: Store,
    private readonly lock: StoreLock,
  ) {
    this.index = new StoreSet(store, lock, 'outbox-index');
  }

  async list(sessionId: string): Promise<Reply[]> {
    return (await this.store.get<Reply[]>(outboxKey(sessionId))) ?? [];
  }

  /** Sessions that have replies waiting. */
  sessions(): Promise<string[]> {
    return this.index.members();
  }

  /**
   * Adds a reply unless one with the same id is already queued, or `alreadySeen` (asked under the session's lock)
   * says it was recorded before. False when it was not added.
   */
  async add(reply: Reply, alreadySeen?: () => Promise<boolean>): Promise<boolean> {
    let fresh = true;
    const added = await this.mutate(reply.sessionId, async (replies) => {
      if (replies.some((r) => r.id === reply.id) || (alreadySeen && (await alreadySeen()))) {
        fresh = false;
        return undefined;
      }
      return [...replies, reply].sort((a, b) => compareOrder(a.order, b.order));
    });
    if (added && fresh) await this.index.add(reply.sessionId);
    return added && fresh;
  }

  /** Changes one waiting reply; undefined (and nothing written) when it is no longer waiting. */
  async update(sessionId: string, id: string, change: Partial<Reply>): Promise<Reply | undefined> {
    let updated: Reply | undefined;
    await this.mutate(sessionId, (replies) => {
      if (!replies.some((r) => r.id === id)) return undefined;
      return replies.map((r) => {
        if (r.id !== id) return r;
        updated = { ...r, ...change };
        return updated;
      });
    });
    return updated;
  }

  /**
   * Moves every reply in one of `from` states to `to`; returns the replies that moved. A reply moved to held or failed
   * is remembered as once held (its delivery later closes the thread's notice).
   */
  async setStates(sessionId: string, from: ReplyState[], to: ReplyState, problem?: string): Promise<Reply[]> {
    const moved: Reply[] = [];
    await this.mutate(sessionId, (replies) => {
      if (!replies.some((r) => from.includes(r.state))) return undefined;
      return replies.map((r) => {
        if (!from.includes(r.state)) return r;
        const next = {
          ...r,
          state: to,
          ...(problem === undefined ? {} : { problem }),
          ...(to === 'queued' ? {} : { wasHeld: true }),
        };
        moved.push(next);
        return next;
      });
    });
    return moved;
  }

  async remove(sessionId: string, ids: string[]): Promise<void> {
    let empty = false;
    await this.mutate(sessionId, (replies) => {
      const left = replies.filter((r) => !ids.includes(r.id));
      if (left.length === replies.length) return undefined;
      empty = left.length === 0;
      return left;
    });
    if (empty) await this.index.remove(sessionId, async () => (await this.list(sessionId)).length > 0);
  }

  /** Rewrites a session's outbox under its lock; `change` returns undefined when there is nothing to write. */
  private mutate(
    sessionId: string,
    change: (replies: Reply[]) => Reply[] | undefined | Promise<Reply[] | undefined>,
  ): Promise<boolean> {
    return this.lock.run(outboxKey(sessionId), async () => {
      const next = await change(await this.list(sessionId));
      if (next === undefined) return false;
      if (next.length === 0) await this.store.delete(outboxKey(sessionId));
      else await this.store.set(outboxKey(sessionId), next);
      return true;
    });
  }
}

/** Orders Slack timestamps (`1700000000.000100`) exactly, without floating point. */
export function compareOrder(a: string, b: string): number {
  const [ai = '', af = ''] = a.split('.');
  const [bi = '', bf = ''] = b.split('.');
  const left = ai.padStart(20, '0') + af.padEnd(9, '0');
  const right = bi.padStart(20, '0') + bf.padEnd(9, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A Slack-like timestamp for the current time, for replies that do not come from a Slack message. */
export function orderAt(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}
