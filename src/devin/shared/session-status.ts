import type { SessionState } from '../../relay/model/session-state';

/** Devin's free-text `status`, as every API version words it. */
const BY_STATUS: Record<string, SessionState> = {
  running: 'working',
  new: 'working',
  claimed: 'working',
  creating: 'working',
  resuming: 'working',
  working: 'working',
  blocked: 'waiting',
  waiting_for_user: 'waiting',
  waiting_for_approval: 'waiting',
  suspended: 'asleep',
  paused: 'asleep',
  sleeping: 'asleep',
  asleep: 'asleep',
  exit: 'finished',
  exited: 'finished',
  finished: 'finished',
  stopped: 'finished',
  expired: 'expired',
  error: 'error',
};

/** The state Devin's free-text `status` names; undefined when none is known. */
export function stateOfStatus(status: string | null | undefined): SessionState | undefined {
  return lookupState(BY_STATUS, status);
}

/** Own keys only, case aside: a status such as `constructor` must not find `Object.prototype`'s members. */
export function lookupState(
  table: Record<string, SessionState>,
  word: string | null | undefined,
): SessionState | undefined {
  const key = word?.toLowerCase();
  return key && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Devin's own words for a status, most precise first, as people read them: `working / running`. */
export function statusWords(...words: Array<string | null | undefined>): string {
  return words.filter(Boolean).join(' / ');
}
