import type { Logger } from '../lib/logger';
import { type DigestSettings, nextDigestAt, REMIND_AFTER_MS } from './model/digest';
import { utcDay } from './model/spend';
import type { PersonSessions } from './person-sessions';
import type { DigestPerson, DigestPort } from './ports/digest';
import type { Store } from './ports/store';
import { DIGEST_DUE_INDEX, digestKey, digestSentKey, waitReminderKey } from './ports/store-keys';
import type { WaitingSince } from './waiting-since';

/** How long a claim on one digest or reminder is kept: longer than the day it is for. */
const CLAIM_MS = 2 * 24 * 60 * 60_000;
/** Digests and waiting sessions handled per tick. */
const BATCH = 50;

export interface DigestsDeps {
  store: Store;
  people: Pick<PersonSessions, 'peopleOf'>;
  waiting: Pick<WaitingSince, 'waitingSince'>;
  slack: DigestPort;
  log: Logger;
}

const memberOf = (person: DigestPerson) => `${person.team}:${person.userId}`;

/**
 * The opt-in daily digest (`/devin digest`): each person who turned it on gets, at their time of day, a direct message
 * listing the sessions that wait for them, and a reminder when one has waited more than four hours (at most one a
 * session a day). A tick looks at what is due on the injected clock; every message is claimed in the store before it
 * is sent, so that two replicas ticking at once send it once.
 */
export class Digests {
  constructor(private readonly deps: DigestsDeps) {}

  get(person: DigestPerson): Promise<DigestSettings | undefined> {
    return this.deps.store.get<DigestSettings>(digestKey(person.team, person.userId));
  }

  /** Saves the person's settings and schedules (or unschedules) their digest; resolves with when it is next due. */
  async set(person: DigestPerson, settings: DigestSettings, now: number): Promise<number | undefined> {
    const { store } = this.deps;
    await store.set(digestKey(person.team, person.userId), settings);
    const due = store.index(DIGEST_DUE_INDEX);
    if (!settings.on) {
      await due.remove(memberOf(person));
      return undefined;
    }
    const next = nextDigestAt(settings, now);
    await due.put(memberOf(person), next);
    return next;
  }

  /** Sends the digests due at `now` and the reminders of sessions waiting more than four hours. */
  async tick(now: number): Promise<void> {
    await this.sendDue(now);
    await this.remind(now);
  }

  private async sendDue(now: number): Promise<void> {
    const { store, log } = this.deps;
    const due = store.index(DIGEST_DUE_INDEX);
    for (const { member, score } of await due.upTo(now, BATCH)) {
      const person = personOf(member);
      const settings = person && (await this.get(person));
      if (!person || !settings?.on) {
        await due.remove(member);
        continue;
      }
      if (await store.claim(digestSentKey(person.team, person.userId, score), 'sent', CLAIM_MS)) {
        try {
          const sent = await this.deps.slack.sendDigest(person);
          log.info({ team_id: person.team, user_id: person.userId, sent }, 'daily digest due');
        } catch (error) {
          log.warn({ team_id: person.team, user_id: person.userId, err: error }, 'could not send a daily digest');
        }
      }
      await due.replace(member, score, nextDigestAt(settings, now));
    }
  }

  private async remind(now: number): Promise<void> {
    const { store, log } = this.deps;
    const day = utcDay(now);
    for (const { sessionId, since } of await this.deps.waiting.waitingSince(now - REMIND_AFTER_MS, BATCH)) {
      for (const person of await this.deps.people.peopleOf(sessionId)) {
        if (!(await this.get(person))?.on) continue;
        if (!(await store.claim(waitReminderKey(sessionId, person.team, person.userId, day), 'sent', CLAIM_MS)))
          continue;
        try {
          await this.deps.slack.remind(person, sessionId, since);
        } catch (error) {
          log.warn({ session_id: sessionId, user_id: person.userId, err: error }, 'could not send a reminder');
        }
      }
    }
  }
}

function personOf(member: string): DigestPerson | undefined {
  const at = member.indexOf(':');
  if (at <= 0) return undefined;
  return { team: member.slice(0, at), userId: member.slice(at + 1) };
}
