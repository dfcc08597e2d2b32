import type { SessionWatch } from './model/session-watch';
import type { Progress } from './post-progress';

/** The fields of a watch record written by earlier versions that live elsewhere now. */
export interface LegacyWatchFields {
  /** `event_id`s of the messages handled (at most 2,000, in the order handled). */
  seen?: string[];
  relayed?: string[];
  partial?: Progress;
  heldWaiting?: boolean;
}

export type StoredWatch = SessionWatch & LegacyWatchFields;

export function isLegacyWatch(record: StoredWatch): boolean {
  return (
    record.seen !== undefined ||
    record.relayed !== undefined ||
    record.partial !== undefined ||
    record.heldWaiting !== undefined
  );
}

/**
 * The watch an earlier version's record stands for. Its `seen` ids become a mark at the last of them (where that
 * message now is is found at the next poll, which then keeps a plain mark); the other old fields are returned for
 * their new homes.
 */
export function convertLegacyWatch(record: StoredWatch): { watch: SessionWatch; moved: LegacyWatchFields } {
  const { seen, relayed, partial, heldWaiting, ...watch } = record;
  const last = seen?.at(-1);
  if (!watch.mark && seen && last !== undefined) {
    watch.mark = { index: seen.length - 1, eventId: last, legacySeen: seen };
  }
  return {
    watch,
    moved: {
      ...(relayed?.length ? { relayed } : {}),
      ...(partial ? { partial } : {}),
      ...(heldWaiting ? { heldWaiting } : {}),
    },
  };
}
