import type { Store } from '../store/store';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SlackMessageIdentity {
  eventId?: string;
  team: string;
  channel: string;
  ts: string;
}

const eventKey = (eventId: string) => `seen-event:${eventId}`;
const messageKey = (m: SlackMessageIdentity) => `seen-message:${m.team}:${m.channel}:${m.ts}`;

/**
 * Slack redelivers events and sends an @mention twice (`app_mention` and `message`, with different event ids).
 * A message is claimed atomically by its event id and by `team:channel:ts`; only the first claim relays it. Thread
 * replies are recorded first and marked seen right after (the outbox's own id keeps concurrent copies out), so that a
 * crash between the two can never turn Slack's redelivery into a lost reply.
 */
export class MessageClaims {
  constructor(
    private readonly store: Store,
    private readonly ttlMs = DAY_MS,
  ) {}

  /** True when this call is the first to see the message (and marks it seen). */
  async claim(message: SlackMessageIdentity): Promise<boolean> {
    const owner = message.eventId ?? 'command';
    if (message.eventId && !(await this.store.claim(eventKey(message.eventId), owner, this.ttlMs))) return false;
    return this.store.claim(messageKey(message), owner, this.ttlMs);
  }

  /** True when the message, or this delivery of it, was seen before. */
  async seen(message: SlackMessageIdentity): Promise<boolean> {
    if (message.eventId && (await this.store.claimed(eventKey(message.eventId)))) return true;
    return this.store.claimed(messageKey(message));
  }

  /** Marks a message seen (whether or not it was marked already). */
  async mark(message: SlackMessageIdentity): Promise<void> {
    const owner = message.eventId ?? 'command';
    if (message.eventId) await this.store.claim(eventKey(message.eventId), owner, this.ttlMs);
    await this.store.claim(messageKey(message), owner, this.ttlMs);
  }
}
