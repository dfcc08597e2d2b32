import type { DevinSession } from '../devin/devin-schemas';

/** What a session is doing, in the words people in the thread care about. */
export type SessionState = 'working' | 'waiting' | 'asleep' | 'finished' | 'expired' | 'error';

const BY_ENUM: Record<string, SessionState> = {
  working: 'working',
  resumed: 'working',
  resume_requested: 'working',
  resume_requested_frontend: 'working',
  blocked: 'waiting',
  // Devin's v3 words for a running session that waits for people.
  waiting_for_user: 'waiting',
  waiting_for_approval: 'waiting',
  suspend_requested: 'asleep',
  suspend_requested_frontend: 'asleep',
  finished: 'finished',
  expired: 'expired',
};

const BY_STATUS: Record<string, SessionState> = {
  running: 'working',
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

/** The state of a session from `status_enum`, else from the free-text `status`; undefined when neither is known. */
export function sessionState(session: Pick<DevinSession, 'status' | 'status_enum'>): SessionState | undefined {
  return lookup(BY_ENUM, session.status_enum) ?? lookup(BY_STATUS, session.status);
}

/** Own keys only: a status such as `constructor` must not find `Object.prototype`'s members. */
function lookup(table: Record<string, SessionState>, word: string | null | undefined): SessionState | undefined {
  const key = word?.toLowerCase();
  return key && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Finished, expired and failed sessions change no more: they are polled one last time, then left alone. */
export function isFinal(state: SessionState | undefined): boolean {
  return state === 'finished' || state === 'expired' || state === 'error';
}

export const STATE_LABEL: Record<SessionState, string> = {
  working: ':large_green_circle: working',
  waiting: ':speech_balloon: waiting for you',
  asleep: ':zzz: asleep',
  finished: ':checkered_flag: finished',
  expired: ':hourglass: expired',
  error: ':x: stopped with an error',
};
