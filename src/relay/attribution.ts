import { LRUCache } from 'lru-cache';
import type { Logger } from '../lib/logger';
import { TtlCache } from '../lib/ttl-cache';
import type { Acting, AttributionFallback } from './model/acting';
import type { Notice } from './model/notices';
import type { Reply } from './model/replies';
import type { ThreadRef } from './model/threads';
import type { DevinApi } from './ports/devin';
import { DevinApiError } from './ports/devin-errors';

/** How long a person's Devin account (or the lack of one) is remembered. */
const TTL_MS = 60 * 60_000;
const MAX_PEOPLE = 5_000;
/**
 * Threads told of a fallback, and people whose fallback was logged, remembered at most (the least recently told
 * forgotten first): a process that runs for months meets ever more threads, and one told again long after costs a line.
 */
const MAX_TOLD = 10_000;

export interface AttributionDeps {
  /** The Slack person's email (`users.info`, which needs the `users:read.email` scope); undefined when Slack has none. */
  emailOf(slackUserId: string): Promise<string | undefined>;
  devin: Pick<DevinApi, 'findMember'>;
  /** Tells a thread something, without waiting (the feedback queue). */
  tell(thread: ThreadRef, notice: Notice): void;
  log: Logger;
  now: () => number;
  ttlMs?: number;
  /** Threads (and people) remembered as told (and logged) once; `MAX_TOLD` by default. */
  maxTold?: number;
}

const keyOf = (reason: AttributionFallback) => (reason.kind === 'missing-permission' ? reason.permission : reason.kind);

/** What delivery needs: who a reply goes as, a refusal to act as its author, and the thread told of a fallback. */
export interface ReplyAttribution {
  actingFor(reply: Reply): Promise<Acting | undefined>;
  refused(reply: Reply, error: DevinApiError): void;
  delivered(reply: Reply, acting: Acting | undefined): void;
}

/**
 * Sessions started from Slack and replies sent from it belong to the person who asked (`DEVIN_ACT_AS_SLACK_USER`):
 * their Slack email is looked up among the members of Devin's organization. When that cannot be (no email, not a
 * member, a permission missing), the service user acts for them; the author line stays on each message either way, so Devin and
 * the echo check read the same words. Each thread hears of a fallback once, the log once per reason.
 */
export class Attribution {
  private readonly people: TtlCache<Acting>;
  private readonly told: LRUCache<string, true>;
  private readonly logged: LRUCache<string, true>;
  /** Until when the members lookup is not tried (the service user lacks `ViewOrgMembership`). */
  private lookupRefusedUntil = 0;

  constructor(private readonly deps: AttributionDeps) {
    this.people = new TtlCache({ ttlMs: deps.ttlMs ?? TTL_MS, max: MAX_PEOPLE, now: () => deps.now() });
    this.told = new LRUCache({ max: deps.maxTold ?? MAX_TOLD });
    this.logged = new LRUCache({ max: deps.maxTold ?? MAX_TOLD });
  }

  /**
   * Who acts for the Slack person. A failure to reach Devin is thrown (the caller retries it, as it retries sending);
   * a refusal to look people up is a fallback.
   */
  async actingFor(slackUserId: string): Promise<Acting> {
    const now = this.deps.now();
    const known = this.people.get(slackUserId);
    if (known) return known.value;
    if (now < this.lookupRefusedUntil)
      return { fallback: { kind: 'missing-permission', permission: 'ViewOrgMembership' } };
    const acting = await this.lookUp(slackUserId);
    if ('fallback' in acting && acting.fallback.kind === 'missing-permission') this.lookupRefusedUntil = now + this.ttl;
    this.remember(slackUserId, acting);
    return acting;
  }

  /**
   * Devin refused to act as the person (403 with their id): the service user needs `ImpersonateOrgSessions` (or the
   * person `UseDevinSessions`). The service user acts for them from now on, for a while.
   */
  refused(slackUserId: string, error: DevinApiError): Acting {
    const acting: Acting = { fallback: { kind: 'missing-permission', permission: 'ImpersonateOrgSessions' } };
    this.logOnce(acting.fallback, slackUserId, { status: error.status, detail: error.detail });
    this.remember(slackUserId, acting);
    return acting;
  }

  /** Tells the thread, once, that the service user acts for the person, and why; nothing when they act as themselves. */
  note(thread: ThreadRef | undefined, slackUserId: string, acting: Acting): void {
    if (!('fallback' in acting)) return;
    this.logOnce(acting.fallback, slackUserId);
    if (!thread) return;
    const reason = acting.fallback;
    const who = reason.kind === 'missing-permission' ? reason.permission : slackUserId;
    const key = `${thread.team}:${thread.channel}:${thread.threadTs}:${keyOf(reason)}:${who}`;
    if (this.told.has(key)) return;
    this.told.set(key, true);
    this.deps.tell(thread, { kind: 'acting-as-service-user', userId: slackUserId, reason });
  }

  private get ttl(): number {
    return this.deps.ttlMs ?? TTL_MS;
  }

  private async lookUp(slackUserId: string): Promise<Acting> {
    const email = await this.deps.emailOf(slackUserId);
    if (!email) return { fallback: { kind: 'no-email' } };
    try {
      const userId = await this.deps.devin.findMember(email);
      return userId ? { asUserId: userId } : { fallback: { kind: 'not-a-member' } };
    } catch (error) {
      if (error instanceof DevinApiError && error.status === 403) {
        const acting: Acting = { fallback: { kind: 'missing-permission', permission: 'ViewOrgMembership' } };
        this.logOnce(acting.fallback, slackUserId, { status: 403, detail: error.detail });
        return acting;
      }
      throw error;
    }
  }

  private remember(slackUserId: string, acting: Acting): void {
    this.people.set(slackUserId, acting);
  }

  /** Once per missing permission; once per person otherwise. */
  private logOnce(reason: AttributionFallback, slackUserId: string, fields: Record<string, unknown> = {}): void {
    const key = keyOf(reason);
    const once = reason.kind === 'missing-permission' ? key : `${key}:${slackUserId}`;
    if (this.logged.has(once)) return;
    this.logged.set(once, true);
    const why: Record<string, string> = {
      'no-email': 'Slack gave no email for a person: the app needs the users:read.email scope',
      'not-a-member': "a person's Slack email matches no member of Devin's organization",
      ViewOrgMembership: 'the service user lacks the ViewOrgMembership permission, so people cannot be found in Devin',
      ImpersonateOrgSessions:
        'Devin refused to act as a person: the service user needs the ImpersonateOrgSessions permission (and the person UseDevinSessions)',
    };
    this.deps.log.warn(
      {
        ...fields,
        user_id: slackUserId,
        reason: reason.kind,
        ...(reason.kind === 'missing-permission' ? { permission: reason.permission } : {}),
      },
      `acting as the service user instead of the Slack person: ${why[key]}`,
    );
  }
}

/** The Slack person who wrote a reply: its message's author, or whoever ran `/devin say`. */
export function authorOf(reply: Reply): string | undefined {
  if (reply.origin.kind === 'command') return reply.origin.userId;
  return reply.draft?.user || undefined;
}

/** Attribution for delivery: the reply's author acts, and the reply's thread hears of a fallback. */
export function replyAttribution(attribution: Attribution): ReplyAttribution {
  return {
    async actingFor(reply) {
      const author = authorOf(reply);
      return author ? attribution.actingFor(author) : undefined;
    },
    refused(reply, error) {
      const author = authorOf(reply);
      if (author) attribution.refused(author, error);
    },
    delivered(reply, acting) {
      const author = authorOf(reply);
      if (author && acting)
        attribution.note(reply.origin.kind === 'thread' ? reply.origin.thread : undefined, author, acting);
    },
  };
}
