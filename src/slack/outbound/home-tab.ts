import type { types, webApi } from '@slack/bolt';
import type { Logger } from '../../lib/logger';
import type { Person, PersonSessions } from '../../relay/person-sessions';
import type { SessionListing } from '../access/session-list';
import type { ChannelDefaultsEntry } from '../views/home-channel-defaults';
import { homeView, minimalHomeView } from '../views/home-view';
import type { FeedbackQueue } from './feedback-queue';
import { sendOrMinimal } from './size-fallback';

/** After a session changes, each of its people's Home is published again at most this often. */
export const HOME_REFRESH_MS = 60_000;
/** People whose last publish is remembered (for the once-a-minute rule); beyond, the oldest are forgotten. */
const REMEMBERED = 10_000;

/** Real timers by default; tests pass their own, so that nothing waits a minute. */
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface HomeTabDeps {
  client: webApi.WebClient;
  /** `views.publish` goes through the feedback queue, paced per workspace; nobody waits for it. */
  queue: FeedbackQueue;
  people: Pick<PersonSessions, 'changed'>;
  /** The person's sessions, read when their view is about to be published. */
  list: (person: Person) => Promise<SessionListing>;
  /** The defaults of the person's channels that have some (read with their sessions). */
  channelDefaults?: (person: Person) => Promise<ChannelDefaultsEntry[]>;
  /** The blocks the Home opens with, from the person's sessions (Needs you). */
  top?: (person: Person, listing: SessionListing) => Promise<types.KnownBlock[]>;
  log: Logger;
  refreshMs?: number;
  timers?: Timers;
}

const keyOf = (person: Person) => `home:${person.team}:${person.userId}`;

/**
 * Each person's App Home: published when they open it, and again when one of their sessions changes status, at most
 * once a minute per person (a change within the minute is published at its end). Publishing is offered to the feedback
 * queue, one pending publish per person (the latest wins), and reads the person's sessions when its turn comes.
 */
export class HomeTab {
  private readonly timers: Timers;
  private readonly refreshMs: number;
  private readonly lastShown = new Map<string, number>();
  private readonly scheduled = new Map<string, unknown>();
  /** What the person's last press did, shown on their next publish only. */
  private readonly notices = new Map<string, string>();

  constructor(private readonly deps: HomeTabDeps) {
    this.timers = deps.timers ?? realTimers;
    this.refreshMs = deps.refreshMs ?? HOME_REFRESH_MS;
  }

  /** Publishes the person's Home now (they opened it, or pressed one of its buttons: `notice` says what it did). */
  show(person: Person, notice?: string): void {
    const key = keyOf(person);
    if (notice) this.notices.set(key, notice);
    this.remember(key);
    this.deps.queue.offer(key, { family: 'views.publish', scope: person.team }, async () => {
      const listing = await this.deps.list(person);
      const shown = this.notices.get(key);
      this.notices.delete(key);
      const channelDefaults = await this.deps.channelDefaults?.(person).catch((error: unknown) => {
        this.deps.log.warn(
          { user_id: person.userId, err: error },
          'could not read the channel defaults for the App Home',
        );
        return undefined;
      });
      const top = await this.deps.top?.(person, listing);
      const view = homeView({
        listing,
        now: this.timers.now(),
        ...(shown ? { notice: shown } : {}),
        ...(channelDefaults ? { channelDefaults } : {}),
        ...(top ? { top } : {}),
      });
      const publish = (home: typeof view) => this.deps.client.views.publish({ user_id: person.userId, view: home });
      await sendOrMinimal(
        () => publish(view),
        () => publish(minimalHomeView()),
        this.deps.log,
        { team_id: person.team, user_id: person.userId, method: 'views.publish' },
      );
    });
  }

  /** A session's status changed: the Home of each of its people is published again, within the once-a-minute rule. */
  sessionChanged(sessionId: string): void {
    this.deps.people
      .changed(sessionId, this.timers.now())
      .then((people) => {
        for (const person of people) this.refresh(person);
      })
      .catch((error: unknown) =>
        this.deps.log.warn(
          { session_id: sessionId, err: error },
          "could not refresh the App Home of a session's people",
        ),
      );
  }

  /** Drops the refreshes waiting for their minute (shutdown). */
  stop(): void {
    for (const handle of this.scheduled.values()) this.timers.clearTimeout(handle);
    this.scheduled.clear();
  }

  private refresh(person: Person): void {
    const key = keyOf(person);
    if (this.scheduled.has(key)) return;
    const last = this.lastShown.get(key);
    const wait = last === undefined ? 0 : last + this.refreshMs - this.timers.now();
    if (wait <= 0) {
      this.show(person);
      return;
    }
    const handle = this.timers.setTimeout(() => {
      this.scheduled.delete(key);
      this.show(person);
    }, wait);
    this.scheduled.set(key, handle);
  }

  private remember(key: string): void {
    this.lastShown.delete(key);
    if (this.lastShown.size >= REMEMBERED) this.lastShown.delete(this.lastShown.keys().next().value as string);
    this.lastShown.set(key, this.timers.now());
  }
}
