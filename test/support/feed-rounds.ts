import type { SessionWatch } from '../../src/relay/model/session-watch';
import type { Binding } from '../../src/relay/model/threads';
import { nextSafetyPoll } from '../../src/relay/poll-schedule';
import type { Store } from '../../src/relay/ports/store';
import { POLL_DUE_INDEX, sessionThreadsKey, threadKey, watchKey } from '../../src/relay/ports/store-keys';
import type { FakeDevin } from './fake-devin';
import type { Harness } from './harness';

/** Rounds of polling on the change feed (v3), driven by a test on virtual time. */
export const ROUND_MS = 5_000;
export const LIST = 'GET /v3/organizations/:org/sessions';
export const READ = 'GET /v3/organizations/:org/sessions/:id';
export const MESSAGES = 'GET /v3/organizations/:org/sessions/:id/messages';

/** Sessions that last changed long ago, one minute apart, as a quiet organization's are. */
export function quietSessions(devin: FakeDevin, n: number): string[] {
  const start = Date.now() - 2 * 3_600_000;
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(start - i * 60_000).toISOString();
    return devin.addSession({ created_at: at, updated_at: at }).session_id;
  });
}

/** `/devin link` for each session, a few at a time; the threads by session. */
export async function linkAll(h: Harness, sessions: string[]): Promise<Map<string, string>> {
  const threads = new Map<string, string>();
  for (let i = 0; i < sessions.length; i += 25) {
    const batch = sessions.slice(i, i + 25);
    // In channels of their own: each channel's posts are paced, as Slack asks.
    const roots = await Promise.all(batch.map((id, j) => h.linkSession(id, `C${100 + j}`)));
    for (const [j, id] of batch.entries()) threads.set(id, roots[j] as string);
  }
  return threads;
}

/** One round of the app's polling after `ms` of virtual time: the change feed, then every session then due. */
export async function round(h: Harness, ms = ROUND_MS): Promise<void> {
  h.clock.advance(ms);
  await h.running.feed?.tick({ force: true });
  // A round takes at most 200 due sessions from the schedule: the rest are taken at once.
  while ((await h.store.index(POLL_DUE_INDEX).upTo(h.clock.now(), 1)).length > 0) await h.running.poller.tick();
}

/** Rounds until nothing is due and Slack was told everything. */
export async function settle(h: Harness): Promise<void> {
  for (let i = 0; i < 3; i += 1) await round(h, 0);
  await h.idle();
}

/**
 * Sessions bound and watched as an earlier run of the app left them in its store (each in a thread of its own, known
 * to be working, next read by its safety poll): faster than linking hundreds through Slack, one at a time.
 */
export async function seedWatches(
  store: Store,
  devin: FakeDevin,
  sessions: string[],
  now: number,
  safetyMs = 3_600_000,
): Promise<Map<string, string>> {
  const threads = new Map<string, string>();
  for (const [i, sessionId] of sessions.entries()) {
    const thread = { team: 'T1', channel: 'C1', threadTs: `1700000000.${String(i).padStart(6, '0')}` };
    const session = devin.mustGet(sessionId);
    const sessionUrl = session.url;
    const last = session.messages.at(-1);
    // Its messages so far were handled.
    const mark = last ? { index: session.messages.length - 1, eventId: last.event_id } : undefined;
    const binding: Binding = { ...thread, sessionId, sessionUrl, boundAt: now };
    await store.set(threadKey(thread), binding);
    await store.set(sessionThreadsKey(sessionId), { sessionId, sessionUrl, threads: [thread] });
    const nextPollAt = nextSafetyPoll(sessionId, now, safetyMs, ROUND_MS);
    const watch: SessionWatch = {
      sessionId,
      state: 'working',
      status: 'running / working',
      ...(mark ? { mark } : {}),
      quietPolls: 0,
      nextPollAt,
    };
    await store.set(watchKey(sessionId), watch);
    await store.index(POLL_DUE_INDEX).put(sessionId, nextPollAt);
    threads.set(sessionId, thread.threadTs);
  }
  return threads;
}

/** `seedWatches` into a running harness's store. */
export async function seedWatched(h: Harness, sessions: string[]): Promise<void> {
  await seedWatches(h.store, h.devin, sessions, h.clock.now());
}
