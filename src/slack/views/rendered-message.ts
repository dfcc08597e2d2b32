import type { types } from '@slack/bolt';

/** A message as Slack takes it: its text (notifications, screen readers) and its blocks. */
export interface RenderedMessage {
  text: string;
  blocks: types.KnownBlock[];
}
