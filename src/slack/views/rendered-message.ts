import type { types } from '@slack/bolt';

/** A message as Slack takes it: its text (notifications, screen readers) and its blocks. */
export interface RenderedMessage {
  text: string;
  blocks: types.KnownBlock[];
}

/** A message of one mrkdwn section holding its text. */
export function sectionMessage(text: string): RenderedMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
