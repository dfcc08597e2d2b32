import type { types } from '@slack/bolt';
import type { ChannelSpendLine, NeedsYouItem } from '../access/needs-you';
import { escapeSlackText } from '../text/outgoing-text';
import { OPEN_THREAD_ACTION } from './home-view';
import { RESEND_ACTION } from './notice-blocks';
import { OPEN_IN_DEVIN_ACTION } from './root-blocks';
import { sessionTitle } from './session-lines';
import { acus, spendMeter } from './spend-meter';

/** What the person reads when nothing waits for them. */
export const NOTHING_NEEDS_YOU = 'Nothing needs you right now.';

/**
 * The top of the App Home: **Needs you**, one section and one button for each item (open the thread where Devin waits,
 * Resend the replies held or failed, raise the cap in Devin), then the spend of the person's channels today.
 */
export function needsYouBlocks(items: NeedsYouItem[], channels: ChannelSpendLine[]): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Needs you' } }];
  if (items.length === 0) blocks.push(section(NOTHING_NEEDS_YOU));
  for (const item of items) blocks.push(section(itemWords(item)), { type: 'actions', elements: [actionOf(item)] });
  if (channels.length > 0) {
    const lines = channels.map(
      (c) => `• <#${c.channel}>: ${c.budget ? `${spendMeter(c.spent, c.budget)} of its daily budget` : acus(c.spent)}`,
    );
    blocks.push(section(`*Spent today (UTC) in your channels*\n${lines.join('\n')}`));
  }
  blocks.push({ type: 'divider' });
  return blocks;
}

function itemWords(item: NeedsYouItem): string {
  const title = `*${escapeSlackText(sessionTitle(item.session))}*`;
  switch (item.kind) {
    case 'waiting':
      return item.approval
        ? `:raised_hand: ${title} waits for an approval in Devin.`
        : `:speech_balloon: ${title} waits for your reply in its thread.`;
    case 'replies': {
      const parts = [item.held ? `${item.held} held` : '', item.failed ? `${item.failed} failed` : ''].filter(Boolean);
      return `:warning: Replies of yours to ${title} did not reach Devin (${parts.join(', ')}).`;
    }
    case 'cap':
      return `:fuel_pump: ${title} has spent ${spendMeter(item.spent, item.cap)}: raise its cap in Devin if it should go on.`;
  }
}

function actionOf(item: NeedsYouItem): types.Button {
  const { session } = item;
  if (item.kind === 'replies') {
    return {
      type: 'button',
      action_id: RESEND_ACTION,
      text: { type: 'plain_text', text: 'Resend' },
      style: 'primary',
      value: session.sessionId,
    };
  }
  if (item.kind === 'waiting' && !item.approval && session.thread) {
    return {
      type: 'button',
      action_id: OPEN_THREAD_ACTION,
      text: { type: 'plain_text', text: 'Open thread' },
      url: session.thread.permalink,
    };
  }
  return {
    type: 'button',
    action_id: OPEN_IN_DEVIN_ACTION,
    text: { type: 'plain_text', text: item.kind === 'cap' ? 'Raise cap in Devin' : 'Open in Devin' },
    url: session.sessionUrl,
  };
}

function section(text: string): types.KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}
