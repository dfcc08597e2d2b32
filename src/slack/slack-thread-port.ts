import type { webApi } from '@slack/bolt';
import type { MessageRef, Notice, Receipt, SlackPort, ThreadRef } from '../relay/types';
import { renderNotice } from './notice-blocks';

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
  constructor(private readonly client: webApi.WebClient) {}

  async postNotice(thread: ThreadRef, notice: Notice): Promise<string | undefined> {
    const answer = await this.client.chat.postMessage({
      channel: thread.channel,
      thread_ts: thread.threadTs,
      ...renderNotice(notice),
      unfurl_links: false,
    });
    return answer.ts;
  }

  async updateNotice(thread: ThreadRef, ts: string, notice: Notice): Promise<void> {
    await this.client.chat.update({ channel: thread.channel, ts, ...renderNotice(notice) });
  }

  async setReceipt(message: MessageRef, receipt: Receipt, previous?: Receipt): Promise<void> {
    if (previous && previous !== receipt) {
      await tolerate(
        this.client.reactions.remove({ ...message, timestamp: message.ts, name: RECEIPT_EMOJI[previous] }),
      );
    }
    await tolerate(
      this.client.reactions.add({ channel: message.channel, timestamp: message.ts, name: RECEIPT_EMOJI[receipt] }),
    );
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
