import type { webApi } from '@slack/bolt';
import type { DigestPerson, DigestPort } from '../../relay/ports/digest';
import type { SessionListing } from '../access/session-list';
import { digestMessage, reminderMessage } from '../views/digest-blocks';

/**
 * The digest's direct messages, posted to the person (the app's conversation with them). What they list comes from
 * the person's sessions under the same rules as the App Home: a session they may no longer see is left out.
 */
export class SlackDigest implements DigestPort {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly list: (person: DigestPerson) => Promise<SessionListing>,
  ) {}

  async sendDigest(person: DigestPerson): Promise<boolean> {
    const listing = await this.list(person);
    if (listing.kind !== 'listed') return false;
    const waiting = listing.sessions.filter((s) => s.state === 'waiting');
    if (waiting.length === 0) return false;
    await this.client.chat.postMessage({ channel: person.userId, ...digestMessage(waiting) });
    return true;
  }

  async remind(person: DigestPerson, sessionId: string, since: number): Promise<boolean> {
    const listing = await this.list(person);
    const session = listing.kind === 'listed' ? listing.sessions.find((s) => s.sessionId === sessionId) : undefined;
    if (session?.state !== 'waiting') return false;
    await this.client.chat.postMessage({ channel: person.userId, ...reminderMessage(session, since) });
    return true;
  }
}
