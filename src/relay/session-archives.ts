import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { isFinal } from './model/session-state';
import type { DevinApi } from './ports/devin';
import { isDevinError } from './ports/devin-errors';
import type { FeedbackPort } from './ports/feedback';
import type { Store } from './ports/store';
import { archiveClaimKey, sessionArchiveKey } from './ports/store-keys';
import type { SessionWatches } from './session-watches';
import { explain } from './sessions';
import type { ThreadBindings } from './thread-bindings';

/** How long one confirmation holds the archive: longer than Devin's answer may take. */
const CLAIM_TTL_MS = 2 * 60_000;

/** Who archived a session from Slack. */
export interface SessionArchive {
  userId: string;
  name: string;
  at: number;
}

/** How a confirmed `archive` went. */
export type ArchiveOutcome =
  | { kind: 'archived' }
  | { kind: 'already-archived'; by: string }
  /** Another confirmation is archiving it right now. */
  | { kind: 'archiving' }
  /** The session has ended: there is nothing to archive from here. */
  | { kind: 'ended' }
  | { kind: 'gone' }
  /** The API behind the bridge has no archive (v1). */
  | { kind: 'unsupported' }
  | { kind: 'failed'; reason: string };

export interface SessionArchivesDeps {
  store: Store;
  devin: Pick<DevinApi, 'archiveSession' | 'capabilities'>;
  bindings: ThreadBindings;
  watches: SessionWatches;
  slack: FeedbackPort;
  clock: Clock;
  log: Logger;
}

/**
 * Archiving a session from Slack (`archive` in its thread, confirmed), as Devin's own keyword does: it sleeps and is
 * archived, viewable but not to be continued. Once however often it is confirmed: one confirmation claims it, asks
 * Devin, records who archived it, tells the session's threads and shows it on their root messages.
 */
export class SessionArchives {
  constructor(private readonly deps: SessionArchivesDeps) {}

  /** Whether the API behind the bridge archives sessions. */
  get available(): boolean {
    return this.deps.devin.capabilities.archives;
  }

  async archive(sessionId: string, person: { userId: string; name: string }): Promise<ArchiveOutcome> {
    if (!this.available) return { kind: 'unsupported' };
    const { store, log, clock } = this.deps;
    const before = await this.archivedBy(sessionId);
    if (before) return { kind: 'already-archived', by: before.name };
    const watch = await this.deps.watches.get(sessionId);
    if (isFinal(watch?.state)) return { kind: 'ended' };
    const owner = `${person.userId}:${randomUUID()}`;
    if (!(await store.claim(archiveClaimKey(sessionId), owner, CLAIM_TTL_MS))) {
      const other = await this.archivedBy(sessionId);
      return other ? { kind: 'already-archived', by: other.name } : { kind: 'archiving' };
    }
    let result: Awaited<ReturnType<DevinApi['archiveSession']>>;
    try {
      result = await this.deps.devin.archiveSession(sessionId);
    } catch (error) {
      await store.release(archiveClaimKey(sessionId), owner);
      if (!isDevinError(error)) throw error;
      log.error({ session_id: sessionId, user_id: person.userId, err: error }, 'could not archive a session');
      return { kind: 'failed', reason: explain(error) };
    }
    if (result.kind !== 'archived') {
      await store.release(archiveClaimKey(sessionId), owner);
      return { kind: result.kind === 'unsupported' ? 'unsupported' : 'gone' };
    }
    await store.set(sessionArchiveKey(sessionId), { ...person, at: clock.now() } satisfies SessionArchive);
    await this.deps.watches.schedule.soon(sessionId, clock.now());
    log.info({ session_id: sessionId, user_id: person.userId }, 'session archived from Slack');
    const view = {
      state: 'asleep' as const,
      archivedBy: person.name,
      ...(watch?.pullRequestUrl ? { pullRequestUrl: watch.pullRequestUrl } : {}),
      ...(watch?.title ? { title: watch.title } : {}),
    };
    for (const binding of await this.deps.bindings.bindingsOf(sessionId)) {
      this.deps.slack.working(binding, false);
      this.deps.slack.tell(binding, { kind: 'archived', by: person.name });
      if (binding.statusTs) this.deps.slack.status(binding, view);
    }
    return { kind: 'archived' };
  }

  /** Who archived the session from Slack; undefined when nobody did. */
  archivedBy(sessionId: string): Promise<SessionArchive | undefined> {
    return this.deps.store.get<SessionArchive>(sessionArchiveKey(sessionId));
  }
}
