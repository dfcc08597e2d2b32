import type { DuplicateKind } from './ports/relay-metrics';
import type { ReplyClaims } from './ports/reply-queue';
import type { Store } from './ports/store';
import { changeToldKey, deliveredMessageKey, seenEventKey, seenMessageKey } from './ports/store-keys';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long it is remembered that a message reached Devin (an edit or a deletion later is told as too late). */
const DELIVERED_MS = 7 * DAY_MS;

export interface SlackMessageIdentity {
  eventId?: string;
  team: string;
  channel: string;
  ts: string;
}

/**
 * Slack redelivers events and sends an @mention twice (`app_mention` and `message`, with different event ids).
 * A message is claimed by its event id and by `team:channel:ts`; only the first claim relays it. A thread reply takes
 * its claims in the same transaction that records it (`forReply`), so a crash can never leave one without the other.
 * A session start takes them right after its record (`SessionStarts`); `mute` takes its claim once it took effect.
 */
export class MessageClaims {
  constructor(
    private readonly store: Store,
    private readonly ttlMs = DAY_MS,
  ) {}

  /** True when this call is the first to see the message (and marks it seen). */
  async claim(message: SlackMessageIdentity): Promise<boolean> {
    const owner = message.eventId ?? 'command';
    if (message.eventId && !(await this.store.claim(seenEventKey(message.eventId), owner, this.ttlMs))) return false;
    return this.store.claim(seenMessageKey(message), owner, this.ttlMs);
  }

  /** True when a claim of the message is held: it (or this delivery of it) was taken before. */
  async seen(message: SlackMessageIdentity): Promise<boolean> {
    return (await this.duplicateOf(message)) !== undefined;
  }

  /**
   * Which claim is held, if any: `event_id` when this very event was seen (Slack retried it), `message` when the
   * message came before as another event (an @mention arrives as `app_mention` and as `message`).
   */
  async duplicateOf(message: SlackMessageIdentity): Promise<DuplicateKind | undefined> {
    if (message.eventId && (await this.store.claimed(seenEventKey(message.eventId)))) return 'event_id';
    return (await this.store.claimed(seenMessageKey(message))) ? 'message' : undefined;
  }

  /** Takes each claim of the message that is still free (unlike `claim`, it does not stop at one already held). */
  async take(message: SlackMessageIdentity): Promise<void> {
    const owner = message.eventId ?? 'start';
    if (message.eventId) await this.store.claim(seenEventKey(message.eventId), owner, this.ttlMs);
    await this.store.claim(seenMessageKey(message), owner, this.ttlMs);
  }

  /** Taken as a reply's delivery is recorded (with its removal from the queue): its message reached Devin. */
  deliveredMark(message: SlackMessageIdentity): ReplyClaims {
    return { keys: [deliveredMessageKey(message)], owner: 'delivered', ttlMs: DELIVERED_MS };
  }

  /** True when the message reached Devin (within the last week). */
  wasDelivered(message: SlackMessageIdentity): Promise<boolean> {
    return this.store.claimed(deliveredMessageKey(message));
  }

  /** True the first time it is asked for a message: its author is told once that an edit or deletion came too late. */
  firstChangeTold(message: SlackMessageIdentity): Promise<boolean> {
    return this.store.claim(changeToldKey(message), 'told', DELIVERED_MS);
  }

  /** The claims a reply takes as it is recorded. */
  forReply(message: SlackMessageIdentity): ReplyClaims {
    const keys = [...(message.eventId ? [seenEventKey(message.eventId)] : []), seenMessageKey(message)];
    return { keys, owner: message.eventId ?? 'reply', ttlMs: this.ttlMs };
  }
}

/** A message's identity, as its claims are keyed: where it is, and the event that brought it when there was one. */
export function identityOf(message: {
  team: string;
  channel: string;
  ts: string;
  eventId?: string;
}): SlackMessageIdentity {
  const { team, channel, ts } = message;
  return { team, channel, ts, ...(message.eventId ? { eventId: message.eventId } : {}) };
}
