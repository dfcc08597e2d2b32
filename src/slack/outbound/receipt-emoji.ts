import type { SessionOutcome } from '../../relay/model/notices';
import type { Receipt } from '../../relay/model/replies';

/** The reaction that shows each receipt on a person's message. */
export const RECEIPT_EMOJI: Record<Receipt, string> = {
  delivered: 'white_check_mark',
  retrying: 'hourglass_flowing_sand',
  held: 'double_vertical_bar',
  failed: 'warning',
  gone: 'x',
  refused: 'no_entry_sign',
};

/** The reaction on a session's root message once it has ended, as Devin's own integration marks its runs. */
export const OUTCOME_EMOJI: Record<SessionOutcome, string> = {
  succeeded: 'white_check_mark',
  failed: 'x',
};
