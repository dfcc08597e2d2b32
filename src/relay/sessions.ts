import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { SteerRules } from './access-policy';
import type { SteerPolicy } from './model/access-rules';
import type { SessionSnapshot } from './model/devin-session';
import type { PollMark, SessionWatch } from './model/session-watch';
import type { Binding, ThreadRef } from './model/threads';
import type { PersonSessions } from './person-sessions';
import type { DevinApi } from './ports/devin';
import { DevinApiError, isDevinError } from './ports/devin-errors';
import type { SessionWatches } from './session-watches';
import type { ThreadBindings } from './thread-bindings';

export type LookupResult =
  | { kind: 'found'; session: SessionSnapshot }
  | { kind: 'unknown' }
  | { kind: 'failed'; reason: string };

export interface SessionsDeps {
  /** Recorded with each binding: changing the default later does not open threads bound before. */
  steerPolicy: SteerPolicy;
  devin: Pick<DevinApi, 'getSession'>;
  bindings: ThreadBindings;
  watches: SessionWatches;
  clock: Clock;
  log: Logger;
  /** Each person's sessions: whoever binds one has it in their list. */
  people?: Pick<PersonSessions, 'touch'>;
}

/** Finding Devin sessions, and binding them to Slack threads (`SessionStarts` starts them). */
export class Sessions {
  constructor(private readonly deps: SessionsDeps) {}

  async lookup(sessionId: string): Promise<LookupResult> {
    try {
      const session = await this.deps.devin.getSession(sessionId);
      return session ? { kind: 'found', session } : { kind: 'unknown' };
    } catch (error) {
      if (!isDevinError(error)) throw error;
      this.deps.log.error({ session_id: sessionId, err: error }, 'could not read a session');
      return { kind: 'failed', reason: explain(error) };
    }
  }

  /**
   * Binds a thread and starts watching the session; messages up to the `handled` mark (see `markAtEnd`) are not
   * posted into the thread. The thread is steered under the policy in force, by `boundBy` (its starter) and whom they
   * allow; a thread linked to a session bound before `inherits` that binding's rules instead.
   */
  async bind(
    sessionId: string,
    sessionUrl: string,
    thread: ThreadRef,
    boundBy: string,
    handled?: PollMark,
    inherits?: SteerRules,
  ): Promise<void> {
    const rules: SteerRules = inherits
      ? {
          policy: inherits.policy ?? this.deps.steerPolicy,
          ...(inherits.boundBy ? { boundBy: inherits.boundBy } : {}),
          ...(inherits.allowed ? { allowed: [...inherits.allowed] } : {}),
        }
      : { policy: this.deps.steerPolicy, boundBy };
    await this.deps.bindings.bind({
      ...thread,
      sessionId,
      sessionUrl,
      boundAt: this.deps.clock.now(),
      ...rules,
    });
    await this.deps.watches.watch(sessionId, this.deps.clock.now(), handled);
    await this.deps.people?.touch({ team: thread.team, userId: boundBy }, sessionId, this.deps.clock.now());
  }

  /** The prompt of a session started from Slack, listed as a person's message: it is not posted back into the thread. */
  expectPrompt(sessionId: string, prompt: string): Promise<void> {
    return this.deps.watches.expectEcho(sessionId, prompt);
  }

  /** The app's message in the thread that shows the session's state. */
  async showStatusIn(thread: ThreadRef, statusTs: string, statusHeader: string): Promise<void> {
    await this.deps.bindings.update(thread, { statusTs, statusHeader });
  }

  /** `/devin allow` (`add`) or `/devin deny`: who besides the starter may steer the thread. */
  async setAllowed(thread: ThreadRef, userId: string, add: boolean): Promise<Binding | undefined> {
    return this.deps.bindings.update(thread, (binding) => {
      const others = (binding.allowed ?? []).filter((id) => id !== userId);
      return { allowed: add ? [...others, userId] : others };
    });
  }

  /** `mute` / `unmute`; resolves with how many of Devin's messages were not posted while muted. */
  async setMuted(thread: ThreadRef, muted: boolean): Promise<number> {
    let skipped = 0;
    await this.deps.bindings.update(thread, (binding) => {
      skipped = binding.skippedWhileMuted ?? 0;
      return { muted, skippedWhileMuted: 0 };
    });
    return muted ? 0 : skipped;
  }

  watch(sessionId: string): Promise<SessionWatch | undefined> {
    return this.deps.watches.get(sessionId);
  }

  /** The first thread bound to the session (its rules are the ones a link inherits); undefined when none is. */
  async firstBinding(sessionId: string): Promise<Binding | undefined> {
    const bindings = await this.deps.bindings.bindingsOf(sessionId);
    return bindings.sort((a, b) => a.boundAt - b.boundAt)[0];
  }

  /** The threads bound to the session. */
  async threadsOf(sessionId: string): Promise<ThreadRef[]> {
    return (await this.deps.bindings.forSession(sessionId))?.threads ?? [];
  }

  forThread(thread: ThreadRef) {
    return this.deps.bindings.forThread(thread);
  }
}

/** One sentence for the person in Slack; the log has the evidence. */
export function explain(error: unknown): string {
  if (error instanceof DevinApiError) {
    if (error.unauthorized && error.permission) {
      return `Devin's API refused this app's service user, which needs the ${error.permission} permission; an admin needs to grant it to the service user in DEVIN_API_KEY.`;
    }
    if (error.unauthorized) return "Devin's API refused this app's API key; an admin needs to check DEVIN_API_KEY.";
    if (error.status === 429) return "Devin's API is rate limiting requests; try again in a minute.";
    if (error.status >= 500) return `Devin's API is having trouble (HTTP ${error.status}); try again shortly.`;
    return `Devin's API refused the request (HTTP ${error.status}${error.detail ? `: ${error.detail}` : ''}).`;
  }
  return "Devin's API could not be reached; try again shortly.";
}
