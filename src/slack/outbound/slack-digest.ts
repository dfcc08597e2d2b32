import type { webApi } from '@slack/bolt';
import type { DigestPerson, DigestPort } from '../../relay/ports/digest';
import type { SessionListing } from '../access/session-list';
import { digestMessage, reminderMessage } from '../views/digest-blocks';
import type { FeedbackQueue } from './feedback-queue';

/**
 * The digest's direct messages, posted to the person (the app's conversation with them). What they list comes from
 * the person's sessions under the same rules as the App Home: a session they may no longer see is left out. Posted in
 * the feedback queue's turn and pace, which waits out Slack's 429s, so a claimed digest is not lost to a throttle.
 */
export class SlackDigest implements DigestPort {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly queue: FeedbackQueue,
    private readonly list: (person: DigestPerson) => Promise<SessionListing>,
  ) {}

  async sendDigest(person: DigestPerson): Promise<boolean> {
    const listing = await this.list(person);
    if (listing.kind !== 'listed') return false;
    const waiting = listing.sessions.filter((s) => s.state === 'waiting');
    if (waiting.length === 0) return false;
    await this.post(person, digestMessage(waiting));
    return true;
  }

  async remind(person: DigestPerson, sessionId: string, since: number): Promise<boolean> {
    const listing = await this.list(person);
    const session = listing.kind === 'listed' ? listing.sessions.find((s) => s.sessionId === sessionId) : undefined;
    if (session?.state !== 'waiting') return false;
    await this.post(person, reminderMessage(session, since));
    return true;
  }

  private async post(person: DigestPerson, message: { text: string; blocks?: unknown[] }): Promise<void> {
    const lane = { family: 'chat.postMessage' as const, scope: `${person.team}:${person.userId}` };
    await this.queue.run(lane, () => this.client.chat.postMessage({ channel: person.userId, ...message }));
  }
}
