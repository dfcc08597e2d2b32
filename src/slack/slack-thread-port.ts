import type { webApi } from '@slack/bolt';
import type { Binding, MessageRef, Notice, Receipt, SlackPort, StatusView, ThreadRef } from '../relay/types';
import type { ChannelQueue } from './channel-queue';
import { markdownToMrkdwn } from './devin-markdown';
import { renderNotice } from './notice-blocks';
import { escapeSlackText } from './outgoing-text';
import { splitForSlack } from './split-message';
import { statusText } from './status-text';

export const RECEIPT_EMOJI: Record<Receipt, string> = {
  delivered: 'white_check_mark',
  retrying: 'hourglass_flowing_sand',
  held: 'double_vertical_bar',
  failed: 'warning',
  gone: 'x',
};

const HARMLESS = new Set(['already_reacted', 'no_reaction', 'message_not_found']);

/** The domain's view of Slack, over the Web API. */
export class SlackThreadPort implements SlackPort {
  /**
   * `queue` paces messages (about one per second per channel); `reactions` only waits out Slack's 429s, since
   * reactions have a rate limit of their own.
   */
  constructor(
    private readonly client: webApi.WebClient,
    private readonly queue: ChannelQueue,
    private readonly reactions: ChannelQueue,
  ) {}

  async postNotice(thread: ThreadRef, notice: Notice): Promise<string | undefined> {
    const answer = await this.queue.post(thread.channel, () =>
      this.client.chat.postMessage({
        channel: thread.channel,
        thread_ts: thread.threadTs,
        ...renderNotice(notice),
        unfurl_links: false,
      }),
    );
    return answer.ts;
  }

  sessionMessageChunks(message: { markdown: string; author?: string }): string[] {
    const byline = message.author ? `*${escapeSlackText(message.author)}* wrote in Devin:\n` : '';
    return splitForSlack(byline + markdownToMrkdwn(message.markdown));
  }

  async postInThread(thread: ThreadRef, text: string): Promise<void> {
    await this.queue.post(thread.channel, () =>
      this.client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, text, unfurl_links: false }),
    );
  }

  async updateStatus(binding: Binding, view: StatusView): Promise<void> {
    if (!binding.statusTs || binding.statusHeader === undefined) return;
    const { channel, statusTs, statusHeader } = binding;
    await this.queue.post(channel, () =>
      this.client.chat.update({ channel, ts: statusTs, text: statusText(statusHeader, view) }),
    );
  }

  async updateNotice(thread: ThreadRef, ts: string, notice: Notice): Promise<void> {
    await this.queue.post(thread.channel, () =>
      this.client.chat.update({ channel: thread.channel, ts, ...renderNotice(notice) }),
    );
  }

  async setReceipt(message: MessageRef, receipt: Receipt, previous?: Receipt): Promise<void> {
    const { channel, ts: timestamp } = message;
    if (previous && previous !== receipt) {
      const name = RECEIPT_EMOJI[previous];
      await this.reactions.post(channel, () => tolerate(this.client.reactions.remove({ channel, timestamp, name })));
    }
    const name = RECEIPT_EMOJI[receipt];
    await this.reactions.post(channel, () => tolerate(this.client.reactions.add({ channel, timestamp, name })));
  }
}

async function tolerate(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (!code || !HARMLESS.has(code)) throw error;
  }
}
