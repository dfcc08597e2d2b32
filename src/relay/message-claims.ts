import type { Store } from '../store/store';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SlackMessageIdentity {
  eventId?: string;
  team: string;
  channel: string;
  ts: string;
}

/**
 * Slack redelivers events and sends an @mention twice (`app_mention` and `message`, with different event ids).
 * A message is claimed atomically by its event id and by `team:channel:ts`; only the first claim relays it.
 */
export class MessageClaims {
  constructor(
    private readonly store: Store,
    private readonly ttlMs = DAY_MS,
  ) {}

  /** True when this call is the first to see the message. */
  async claim(message: SlackMessageIdentity): Promise<boolean> {
    const owner = message.eventId ?? 'command';
    if (message.eventId && !(await this.store.claim(`seen-event:${message.eventId}`, owner, this.ttlMs))) return false;
    return this.store.claim(`seen-message:${message.team}:${message.channel}:${message.ts}`, owner, this.ttlMs);
  }

  /** Gives a claimed message back, when it could not be recorded, so that Slack's redelivery is not lost. */
  async release(message: SlackMessageIdentity): Promise<void> {
    const owner = message.eventId ?? 'command';
    if (message.eventId) await this.store.release(`seen-event:${message.eventId}`, owner);
    await this.store.release(`seen-message:${message.team}:${message.channel}:${message.ts}`, owner);
  }
}
