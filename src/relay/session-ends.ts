import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { isFinal } from './model/session-state';
import type { DevinApi } from './ports/devin';
import { isDevinError } from './ports/devin-errors';
import type { FeedbackPort } from './ports/feedback';
import type { Store } from './ports/store';
import { endClaimKey, sessionEndKey } from './ports/store-keys';
import type { SessionWatches } from './session-watches';
import { explain } from './sessions';
import type { ThreadBindings } from './thread-bindings';

/**
 * How long one press holds the end: longer than Devin's answer may take. Once it ended, the record answers later presses;
 * should this process die mid-request, a press after the claim lapsed asks Devin again (and hears it had ended).
 */
const CLAIM_TTL_MS = 2 * 60_000;

/** Who ended a session from Slack. */
export interface SessionEnd {
  userId: string;
  /** Their name, as the thread was told. */
  name: string;
  at: number;
}

/** How a press of End session went. */
export type EndOutcome =
  | { kind: 'ended' }
  /** Ended before: by someone in Slack (`by`, their name), or as Devin or its web app says. */
  | { kind: 'already-ended'; by?: string }
  /** Another press is ending it right now. */
  | { kind: 'ending' }
  /** Devin no longer knows the session. */
  | { kind: 'gone' }
  /** Devin's API failed (the sentence says why); nothing was ended, and End session works again. */
  | { kind: 'failed'; reason: string };

export interface SessionEndsDeps {
  store: Store;
  devin: Pick<DevinApi, 'terminateSession'>;
  bindings: ThreadBindings;
  watches: SessionWatches;
  slack: FeedbackPort;
  clock: Clock;
  log: Logger;
}

/**
 * Ending a session from Slack (End session, `EXIT`), once however many times it is pressed and by whom: one press
 * claims the end, asks Devin to terminate the session, records who ended it, tells its threads, shows it on their root
 * messages (without End session) and has polling look once more, which finds it ended and stops.
 */
export class SessionEnds {
  constructor(private readonly deps: SessionEndsDeps) {}

  async end(sessionId: string, person: { userId: string; name: string }): Promise<EndOutcome> {
    const { store, log, clock } = this.deps;
    const before = await this.endedBy(sessionId);
    if (before) return { kind: 'already-ended', by: before.name };
    const watch = await this.deps.watches.get(sessionId);
    if (isFinal(watch?.state)) return { kind: 'already-ended' };
    const owner = `${person.userId}:${randomUUID()}`;
    if (!(await store.claim(endClaimKey(sessionId), owner, CLAIM_TTL_MS))) {
      const other = await this.endedBy(sessionId);
      return other ? { kind: 'already-ended', by: other.name } : { kind: 'ending' };
    }
    let result: Awaited<ReturnType<DevinApi['terminateSession']>>;
    try {
      result = await this.deps.devin.terminateSession(sessionId);
    } catch (error) {
      // Nothing was ended: the next press may try again.
      await store.release(endClaimKey(sessionId), owner);
      if (!isDevinError(error)) throw error;
      log.error({ session_id: sessionId, user_id: person.userId, err: error }, 'could not end a session');
      return { kind: 'failed', reason: explain(error) };
    }
    // Polling looks at it once more: it finds the session ended (or gone) and stops.
    await this.deps.watches.schedule.soon(sessionId, clock.now());
    if (result.kind === 'unknown-session') return { kind: 'gone' };
    if (result.kind === 'already-ended') {
      log.info(
        { session_id: sessionId, user_id: person.userId, detail: result.detail },
        'the session to end had already ended',
      );
      return { kind: 'already-ended' };
    }
    const end: SessionEnd = { ...person, at: clock.now() };
    await store.set(sessionEndKey(sessionId), end);
    log.info({ session_id: sessionId, user_id: person.userId }, 'session ended from Slack');
    const view = {
      state: 'finished' as const,
      endedBy: person.name,
      ...(watch?.pullRequestUrl ? { pullRequestUrl: watch.pullRequestUrl } : {}),
      ...(watch?.title ? { title: watch.title } : {}),
    };
    for (const binding of await this.deps.bindings.bindingsOf(sessionId)) {
      this.deps.slack.working(binding, false);
      this.deps.slack.tell(binding, { kind: 'ended', by: person.name });
      if (binding.statusTs) this.deps.slack.status(binding, view);
    }
    return { kind: 'ended' };
  }

  /** Who ended the session from Slack; undefined when nobody did. */
  endedBy(sessionId: string): Promise<SessionEnd | undefined> {
    return this.deps.store.get<SessionEnd>(sessionEndKey(sessionId));
  }
}
