import type { Refusal } from '../../relay/access-policy';
import type { SessionState } from '../../relay/model/session-state';
import type { PersonSessions } from '../../relay/person-sessions';
import type { SessionRefs } from '../../relay/ports/devin';
import type { Replies } from '../../relay/replies';
import type { Sessions } from '../../relay/sessions';
import { threadPermalink } from '../text/thread-permalink';
import type { SessionAccess } from './session-access';
import type { SlackAccess } from './slack-access';

/** How many of a person's sessions the App Home and `/devin list` show. */
export const LISTED_SESSIONS = 20;

/** One of a person's sessions, as the App Home and `/devin list` show it. */
export interface ListedSession {
  sessionId: string;
  sessionUrl: string;
  /** Devin's title, once a poll has read it. */
  title?: string;
  state?: SessionState;
  /** It waits for an approval rather than a reply. */
  approval?: boolean;
  pullRequestUrl?: string;
  lastActivityAt: number;
  waiting: { total: number; held: number; failed: number };
  /** Of those, the asker's own (their replies, or what they sent with `/devin say`). */
  yours?: { total: number; held: number; failed: number };
  /** The first of its threads the person can see (bound nowhere: none). */
  thread?: { channel: string; threadTs: string; permalink: string };
}

export type SessionListing = { kind: 'refused'; refusal: Refusal } | { kind: 'listed'; sessions: ListedSession[] };

export interface SessionListDeps {
  people: Pick<PersonSessions, 'recent'>;
  access: SlackAccess;
  sessionAccess: SessionAccess;
  sessions: Pick<Sessions, 'watch'>;
  replies: Pick<Replies, 'waitingWithMine'>;
  /** Session ids and addresses, as Devin names them. */
  refs: SessionRefs;
  /** The workspace's address, for links to threads (`auth.test`), once known. */
  workspaceUrl: () => string | undefined;
}

/** Who asks for their sessions: from a channel (`/devin list`), or from no channel at all (the App Home). */
export interface ListAsker {
  team: string;
  userId: string;
  userTeam?: string | undefined;
  channel?: string;
}

/**
 * A person's sessions (started, linked or steered by them), newest first, under the same rules as naming one: a
 * person the allowlists refuse gets the refusal, and a session shows only through threads in channels the person is
 * in and where Devin is enabled (one bound nowhere shows as it would to `/devin status`).
 */
export async function listSessions(
  deps: SessionListDeps,
  asker: ListAsker,
  limit = LISTED_SESSIONS,
): Promise<SessionListing> {
  const { policy } = deps.access;
  const channel = asker.channel ?? '';
  const actor = await deps.access.actor(asker.userId, channel, asker.userTeam);
  const decision = asker.channel ? policy.mayAct(actor) : policy.mayUse(actor);
  if (!decision.ok) {
    await deps.access.refuse({ team: asker.team, channel, userId: asker.userId, action: 'list' }, decision.refusal);
    return { kind: 'refused', refusal: decision.refusal };
  }
  const listed: ListedSession[] = [];
  // One after another: the channel member lists they share are looked up once, then cached.
  for (const { sessionId, lastActivityAt } of await deps.people.recent(asker, limit)) {
    const view = await deps.sessionAccess.view({ ...asker, channel }, sessionId);
    if (view.kind === 'hidden') continue;
    const threads = view.bindings.filter((b) => policy.mayAct({ ...view.actor, channel: b.channel }).ok);
    if (view.bindings.length > 0 && threads.length === 0) continue;
    const watch = await deps.sessions.watch(sessionId);
    const waiting = await deps.replies.waitingWithMine(sessionId, asker.userId);
    const thread = threads[0];
    listed.push({
      sessionId,
      sessionUrl: deps.refs.sessionUrl(sessionId),
      ...(watch?.title ? { title: watch.title } : {}),
      ...(watch?.state ? { state: watch.state } : {}),
      ...(watch?.state === 'waiting' && watch.detail?.kind === 'approval' ? { approval: true } : {}),
      ...(watch?.pullRequestUrl ? { pullRequestUrl: watch.pullRequestUrl } : {}),
      lastActivityAt,
      waiting: waiting.all,
      yours: waiting.mine,
      ...(thread
        ? {
            thread: {
              channel: thread.channel,
              threadTs: thread.threadTs,
              permalink: threadPermalink(thread, deps.workspaceUrl()),
            },
          }
        : {}),
    });
  }
  return { kind: 'listed', sessions: listed };
}
