import type { Binding, ThreadRef } from './model/threads';
import type { Lock } from './ports/leases';
import type { Store } from './ports/store';
import { sessionThreadsKey, threadKey } from './ports/store-keys';

export interface SessionThreads {
  sessionId: string;
  sessionUrl: string;
  threads: ThreadRef[];
}

/** Which Slack thread steers which Devin session, both ways. */
export class ThreadBindings {
  constructor(
    private readonly store: Store,
    private readonly lock: Lock,
  ) {}

  forThread(thread: ThreadRef): Promise<Binding | undefined> {
    return this.store.get<Binding>(threadKey(thread));
  }

  async forSession(sessionId: string): Promise<SessionThreads | undefined> {
    return this.store.get<SessionThreads>(sessionThreadsKey(sessionId));
  }

  /** The bindings of the threads bound to the session (a thread bound to another session since is left out). */
  async bindingsOf(sessionId: string): Promise<Binding[]> {
    const known = await this.forSession(sessionId);
    const bindings = await Promise.all((known?.threads ?? []).map((t) => this.forThread(t)));
    return bindings.filter((b): b is Binding => b !== undefined && b.sessionId === sessionId);
  }

  /** Changes a bound thread's settings; undefined when the thread is not bound. */
  async update(
    thread: ThreadRef,
    change:
      | Partial<Pick<Binding, 'statusTs' | 'statusHeader' | 'muted' | 'skippedWhileMuted'>>
      | ((binding: Binding) => Partial<Binding>),
  ): Promise<Binding | undefined> {
    return this.lock.run(threadKey(thread), async () => {
      const binding = await this.forThread(thread);
      if (!binding) return undefined;
      const next = { ...binding, ...(typeof change === 'function' ? change(binding) : change) };
      await this.store.set(threadKey(thread), next);
      return next;
    });
  }

  async bind(binding: Binding): Promise<void> {
    const thread: ThreadRef = { team: binding.team, channel: binding.channel, threadTs: binding.threadTs };
    await this.store.set(threadKey(thread), binding);
    await this.lock.run(sessionThreadsKey(binding.sessionId), async () => {
      const known = await this.forSession(binding.sessionId);
      const threads = (known?.threads ?? []).filter((t) => threadKey(t) !== threadKey(thread));
      await this.store.set(sessionThreadsKey(binding.sessionId), {
        sessionId: binding.sessionId,
        sessionUrl: binding.sessionUrl,
        threads: [...threads, thread],
      } satisfies SessionThreads);
    });
  }
}
