import type { Receipt } from '../relay/types';

/** The reaction that shows each receipt on a person's message. */
export const RECEIPT_EMOJI: Record<Receipt, string> = {
  delivered: 'white_check_mark',
  retrying: 'hourglass_flowing_sand',
  held: 'double_vertical_bar',
  failed: 'warning',
  gone: 'x',
};
