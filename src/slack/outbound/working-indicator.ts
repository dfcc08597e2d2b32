import type { webApi } from '@slack/bolt';
import { threadFields } from '../../lib/log-fields';
import type { Logger } from '../../lib/logger';
import type { ThreadRef } from '../../relay/model/threads';
import type { FeedbackQueue } from './feedback-queue';
import { isSlackRefusal, slackErrorCode } from './slack-failure';

/** What the thread shows under its last message while the session works. */
export const WORKING_STATUS = 'Devin is working...';

/**
 * Slack clears the indicator after two minutes (or when the app posts); renewing it once it is 45 s old (when a poll
 * sees the session working, or at a polling tick while it was last seen working) keeps it shown, at most once in 45 s
 * per thread.
 */
const RENEW_AFTER_MS = 45_000;
/** Threads whose indicator is remembered; beyond this the oldest are forgotten (their indicator lapses by itself). */
const REMEMBERED = 20_000;

/** Refusals that concern one thread (gone, archived, the app removed from the channel), not the workspace. */
const THREAD_ONLY = new Set([
  'channel_not_found',
  'invalid_thread_ts',
  'thread_not_found',
  'message_not_found',
  'not_in_channel',
  'is_archived',
]);

export interface WorkingIndicatorDeps {
  client: webApi.WebClient;
  queue: FeedbackQueue;
  log: Logger;
  now: () => number;
}

const threadId = (t: ThreadRef) => `${t.team}:${t.channel}:${t.threadTs}`;

/**
 * Slack's loading indicator in a thread (`assistant.threads.setStatus`): set while its session works, renewed while it
 * goes on working, cleared when the session waits, sleeps or ends. Through its own lane of the feedback queue, the
 * latest state per thread winning. A workspace whose answer says the method is not available there (not allowed for
 * the token, unknown, a missing scope) has it turned off quietly: one line in the log, no more calls.
 */
export class WorkingIndicator {
  /** When the indicator was last set in each thread where it may be shown. */
  private readonly shownAt = new Map<string, number>();
  /** The threads whose session was last seen working: their indicator is kept up until told otherwise. */
  private readonly working = new Map<string, ThreadRef>();
  private readonly unavailable = new Set<string>();

  constructor(private readonly deps: WorkingIndicatorDeps) {}

  show(thread: ThreadRef, working: boolean): void {
    if (this.unavailable.has(thread.team)) return;
    const id = threadId(thread);
    const at = this.shownAt.get(id);
    const now = this.deps.now();
    if (working) {
      if (at !== undefined && now - at < RENEW_AFTER_MS) return;
      this.shownAt.delete(id);
      this.shownAt.set(id, now);
      this.working.delete(id);
      this.working.set(id, thread);
      if (this.shownAt.size > REMEMBERED) this.shownAt.delete(this.shownAt.keys().next().value as string);
      if (this.working.size > REMEMBERED) this.working.delete(this.working.keys().next().value as string);
    } else {
      this.working.delete(id);
      if (at === undefined) return;
      this.shownAt.delete(id);
    }
    this.deps.queue.offer(`working:${id}`, { family: 'assistant.threads.setStatus', scope: thread.team }, () =>
      this.send(thread, working ? WORKING_STATUS : ''),
    );
  }

  /** Sets the indicator again in each thread last seen working whose indicator is 45 s old, or was cleared by a post. */
  renew(): void {
    const now = this.deps.now();
    for (const [id, thread] of [...this.working]) {
      const at = this.shownAt.get(id);
      if (at === undefined || now - at >= RENEW_AFTER_MS) this.show(thread, true);
    }
  }

  /** The app posted in the thread, which clears the indicator: set again at the next tick while the session works. */
  posted(thread: ThreadRef): void {
    this.shownAt.delete(threadId(thread));
  }

  private async send(thread: ThreadRef, status: string): Promise<void> {
    if (this.unavailable.has(thread.team)) return;
    try {
      await this.deps.client.assistant.threads.setStatus({
        channel_id: thread.channel,
        thread_ts: thread.threadTs,
        status,
      });
    } catch (error) {
      // 429s, outages and no answer are the lane's to wait out; a refusal is final.
      if (!isSlackRefusal(error)) throw error;
      const code = slackErrorCode(error) ?? 'unknown';
      if (THREAD_ONLY.has(code)) {
        this.working.delete(threadId(thread));
        this.deps.log.debug({ ...threadFields(thread), code }, "Slack's loading indicator was refused in a thread");
        return;
      }
      this.unavailable.add(thread.team);
      for (const id of this.shownAt.keys()) if (id.startsWith(`${thread.team}:`)) this.shownAt.delete(id);
      for (const id of this.working.keys()) if (id.startsWith(`${thread.team}:`)) this.working.delete(id);
      this.deps.log.info(
        { team_id: thread.team, code },
        "Slack's loading indicator is not available in this workspace; threads will not show it",
      );
    }
  }
}
