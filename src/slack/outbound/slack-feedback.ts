import type { webApi } from '@slack/bolt';
import { threadFields } from '../../lib/log-fields';
import type { Logger } from '../../lib/logger';
import type { Notice, SessionOutcome, StatusView } from '../../relay/model/notices';
import type { Receipt } from '../../relay/model/replies';
import type { Binding, MessageRef, ThreadRef } from '../../relay/model/threads';
import type { FeedbackPort } from '../../relay/ports/feedback';
import type { Store } from '../../relay/ports/store';
import { openNoticeKey } from '../../relay/ports/store-keys';
import { markdownToMrkdwn } from '../text/devin-markdown';
import { escapeSlackText } from '../text/outgoing-text';
import { splitForSlack } from '../text/split-message';
import { minimalNotice, renderNotice } from '../views/notice-blocks';
import type { RenderedMessage } from '../views/rendered-message';
import { minimalRoot, renderRoot } from '../views/root-blocks';
import type { FeedbackQueue, LaneRef } from './feedback-queue';
import { Reactions } from './reactions';
import { sendOrMinimal } from './size-fallback';
import { slackErrorCode } from './slack-failure';
import { WorkingIndicator } from './working-indicator';

export interface SlackFeedbackDeps {
  client: webApi.WebClient;
  queue: FeedbackQueue;
  /** Holds each thread's open trouble notice. */
  store: Store;
  log: Logger;
  /** Messages whose receipt is remembered, so that a change costs only the calls it needs. */
  rememberedReceipts?: number;
  /** The time, for renewing the loading indicator (the app's clock). */
  now?: () => number;
}

/** The thread's open trouble notice, under `notice:<team>:<channel>:<thread ts>`. */
interface OpenNotice {
  ts: string;
  kind: Notice['kind'];
}

/** Answers to chat.update that mean the notice is gone for good: a new one is posted instead. */
const UNEDITABLE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

const postLane = (t: ThreadRef): LaneRef => ({ family: 'chat.postMessage', scope: `${t.team}:${t.channel}` });
const updateLane = (team: string): LaneRef => ({ family: 'chat.update', scope: team });

/**
 * The feedback port over Slack's Web API: everything is queued on the `FeedbackQueue` and the caller goes on.
 * Receipts are reactions (the latest wins, only the changes are sent); each thread has at most one open trouble
 * notice, updated in place; status edits and notice changes coalesce while they wait.
 */
export class SlackFeedback implements FeedbackPort {
  private tells = 0;
  private readonly reactions: Reactions;
  private readonly indicator: WorkingIndicator;

  constructor(private readonly deps: SlackFeedbackDeps) {
    this.reactions = new Reactions(deps);
    this.indicator = new WorkingIndicator({ ...deps, now: deps.now ?? Date.now });
  }

  receipt(message: MessageRef, receipt: Receipt, mayShow: Receipt[] = []): void {
    this.reactions.receipt(message, receipt, mayShow);
  }

  outcome(binding: Binding, outcome: SessionOutcome): void {
    this.reactions.outcome(binding, outcome);
  }

  openNotice(thread: ThreadRef, notice: Notice): void {
    this.deps.queue.offer(openNoticeKey(thread), postLane(thread), async () => {
      const open = await this.deps.store.get<OpenNotice>(openNoticeKey(thread));
      if (open?.kind === notice.kind && (await this.updateNotice(thread, open.ts, notice))) return;
      const posted = await this.postNotice(thread, notice);
      this.indicator.posted(thread);
      if (posted.ts)
        await this.deps.store.set(openNoticeKey(thread), { ts: posted.ts, kind: notice.kind } satisfies OpenNotice);
    });
  }

  resolveNotice(thread: ThreadRef, notice: Notice): void {
    this.deps.queue.offer(openNoticeKey(thread), postLane(thread), async () => {
      const open = await this.deps.store.get<OpenNotice>(openNoticeKey(thread));
      if (!open) return;
      await this.updateNotice(thread, open.ts, notice);
      await this.deps.store.delete(openNoticeKey(thread));
    });
  }

  tell(thread: ThreadRef, notice: Notice): void {
    this.tells += 1;
    this.deps.queue.offer(`tell:${this.tells}`, postLane(thread), async () => {
      await this.postNotice(thread, notice);
      this.indicator.posted(thread);
    });
  }

  tellPrivately(thread: ThreadRef, userId: string, notice: Notice): void {
    this.tells += 1;
    // A flood of refused replies is told once while the answer waits for Slack, not once per reply.
    const key =
      notice.kind === 'over-cap'
        ? `over-cap:${thread.team}:${thread.channel}:${thread.threadTs}:${userId}`
        : `tell:${this.tells}`;
    this.deps.queue.offer(key, { family: 'chat.postEphemeral', scope: thread.team }, async () => {
      const post = (message: RenderedMessage) =>
        this.deps.client.chat.postEphemeral({
          channel: thread.channel,
          thread_ts: thread.threadTs,
          user: userId,
          ...message,
        });
      await sendOrMinimal(
        () => post(renderNotice(notice)),
        () => post(minimalNotice(notice)),
        this.deps.log,
        { ...where(thread), notice: notice.kind, method: 'chat.postEphemeral' },
      );
    });
  }

  status(binding: Binding, view: StatusView): void {
    if (!binding.statusTs || binding.statusHeader === undefined) return;
    const { team, channel, statusTs, statusHeader, sessionId, sessionUrl } = binding;
    this.deps.queue.offer(`status:${team}:${channel}:${statusTs}`, updateLane(team), async () => {
      const update = (message: RenderedMessage) => this.deps.client.chat.update({ channel, ts: statusTs, ...message });
      await sendOrMinimal(
        () => update(renderRoot({ header: statusHeader, view, sessionId, sessionUrl })),
        () => update(minimalRoot(view, sessionUrl)),
        this.deps.log,
        { team, channel, ts: statusTs, session_id: sessionId, method: 'chat.update' },
      );
    });
  }

  async postInThread(thread: ThreadRef, text: string): Promise<void> {
    await this.deps.queue.run(postLane(thread), () =>
      this.deps.client.chat.postMessage({
        channel: thread.channel,
        thread_ts: thread.threadTs,
        text,
        unfurl_links: false,
      }),
    );
    this.indicator.posted(thread);
  }

  working(thread: ThreadRef, working: boolean): void {
    this.indicator.show(thread, working);
  }

  keepWorking(): void {
    this.indicator.renew();
  }

  /** Runs a call that posts in a thread (a file's `files.completeUploadExternal`) in the channel's turn and pace. */
  paced<T>(thread: ThreadRef, send: () => Promise<T>): Promise<T> {
    return this.deps.queue.run(postLane(thread), send);
  }

  sessionMessageChunks(message: { markdown: string; author?: string }): string[] {
    const byline = message.author ? `*${escapeSlackText(message.author)}* wrote in Devin:\n` : '';
    return splitForSlack(byline + markdownToMrkdwn(message.markdown));
  }

  /**
   * Rewrites a notice; false when it can no longer be edited (deleted, too old). chat.update is paced per workspace, in
   * its own lane, even when a channel's notice job asks for it.
   */
  private async updateNotice(thread: ThreadRef, ts: string, notice: Notice): Promise<boolean> {
    const update = (message: RenderedMessage) =>
      this.deps.client.chat.update({ channel: thread.channel, ts, ...message });
    try {
      await this.deps.queue.run(updateLane(thread.team), () =>
        sendOrMinimal(
          () => update(renderNotice(notice)),
          () => update(minimalNotice(notice)),
          this.deps.log,
          { ...where(thread), ts, notice: notice.kind, method: 'chat.update' },
        ),
      );
      return true;
    } catch (error) {
      if (!UNEDITABLE.has(slackErrorCode(error) ?? '')) throw error;
      this.deps.log.debug(
        { ...threadFields(thread), message_ts: ts, code: slackErrorCode(error) },
        'trouble notice can no longer be edited',
      );
      return false;
    }
  }

  /** A notice in the thread, in its minimal form should Slack refuse the full one. */
  private postNotice(thread: ThreadRef, notice: Notice) {
    const post = (message: RenderedMessage) =>
      this.deps.client.chat.postMessage({
        channel: thread.channel,
        thread_ts: thread.threadTs,
        ...message,
        unfurl_links: false,
      });
    return sendOrMinimal(
      () => post(renderNotice(notice)),
      () => post(minimalNotice(notice)),
      this.deps.log,
      { ...where(thread), notice: notice.kind, method: 'chat.postMessage' },
    );
  }
}

const where = (thread: ThreadRef) => ({ team: thread.team, channel: thread.channel, thread_ts: thread.threadTs });
