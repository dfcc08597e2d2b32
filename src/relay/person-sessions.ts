import { LastWritten } from '../lib/last-written';
import type { Store } from './ports/store';
import { personSessionsIndex, sessionPeopleIndex } from './ports/store-keys';

/** Someone in Slack, in the workspace they acted in. */
export interface Person {
  team: string;
  userId: string;
}

/** One of a person's sessions, with when it last saw activity (theirs, or a change of its status). */
export interface RecentSession {
  sessionId: string;
  lastActivityAt: number;
}

/** Entries kept per person and per session; the oldest beyond these are forgotten. */
export const KEPT_ENTRIES = 50;

/** A list already led by the same entry is written again only this long after (its order does not change). */
const TOUCH_AGAIN_MS = 60_000;

/**
 * The sessions each person started, linked or steered, newest first, and the people of each session (whose App Home
 * shows it). Two sorted indexes scored with minus the time of the last activity, so that the lowest score, which a
 * sorted index reads first, is the newest; each keeps its newest `KEPT_ENTRIES`.
 */
export class PersonSessions {
  /** Which entry this process last put at the top of each list. */
  private readonly tops = new LastWritten(TOUCH_AGAIN_MS);

  constructor(private readonly store: Store) {}

  /**
   * The person started, linked or steered the session at `at`. A list this process just put the same entry on top of
   * is left as it is for a minute: a burst of one person's replies in one session costs no store call after the first.
   */
  async touch(person: Person, sessionId: string, at: number): Promise<void> {
    if (!person.team || !person.userId) return;
    await this.putOnTop(personSessionsIndex(person.team, person.userId), sessionId, at);
    await this.putOnTop(sessionPeopleIndex(sessionId), memberOf(person), at);
  }

  /** The session changed (its status): it moves to the top of its people's lists, for those who still have it. */
  async changed(sessionId: string, at: number): Promise<Person[]> {
    const people = await this.peopleOf(sessionId);
    for (const person of people) {
      const index = this.store.index(personSessionsIndex(person.team, person.userId));
      if ((await index.score(sessionId)) !== undefined) await index.put(sessionId, -at);
    }
    return people;
  }

  /** The person's sessions, newest first, at most `limit`. */
  async recent(person: Person, limit: number): Promise<RecentSession[]> {
    const entries = await this.store.index(personSessionsIndex(person.team, person.userId)).upTo(0, limit);
    return entries.map((entry) => ({ sessionId: entry.member, lastActivityAt: -entry.score }));
  }

  /** The people who started, linked or steered the session, the most recent first. */
  async peopleOf(sessionId: string): Promise<Person[]> {
    const entries = await this.store.index(sessionPeopleIndex(sessionId)).upTo(0, KEPT_ENTRIES);
    return entries.map((entry) => personOf(entry.member)).filter((p): p is Person => p !== undefined);
  }

  private async putOnTop(name: string, member: string, at: number): Promise<void> {
    if (this.tops.fresh(name, member, at)) return;
    await this.put(name, member, at);
    this.tops.wrote(name, member, at);
  }

  private async put(name: string, member: string, at: number): Promise<void> {
    const index = this.store.index(name);
    await index.put(member, -at);
    const size = await index.size();
    if (size <= KEPT_ENTRIES) return;
    const entries = await index.upTo(0, size);
    for (const entry of entries.slice(KEPT_ENTRIES)) await index.remove(entry.member);
  }
}

const memberOf = (person: Person) => `${person.team}:${person.userId}`;

function personOf(member: string): Person | undefined {
  const colon = member.indexOf(':');
  if (colon <= 0 || colon === member.length - 1) return undefined;
  return { team: member.slice(0, colon), userId: member.slice(colon + 1) };
}
