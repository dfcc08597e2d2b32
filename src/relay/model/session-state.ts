import { isQuotaReason } from '../../devin/v3/suspension';
import type { DevinSession } from '../ports/devin';

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

/** API v3: what a running session is doing (`status_detail`). */
const BY_DETAIL: Record<string, SessionState> = {
  working: 'working',
  waiting_for_user: 'waiting',
  waiting_for_approval: 'waiting',
  finished: 'finished',
};

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

/**
 * What the state leaves out when it matters to people: waiting for an approval rather than a reply; asleep for want
 * of quota or credits, so that a reply does not wake it (`reason` in Devin's words, such as `out_of_credits`).
 */
export type StateDetail = { kind: 'approval' } | { kind: 'quota'; reason: string };

type StatusFields = Pick<DevinSession, 'status' | 'status_enum' | 'statusDetail'>;

/**
 * The state of a session from v1's `status_enum`; else from v3's `status` with `status_detail` (running: working,
 * waiting for someone, or finished); else from the free-text `status`. Undefined when none is known.
 */
export function sessionState(session: StatusFields): SessionState | undefined {
  const running = session.status?.toLowerCase() === 'running';
  return (
    lookup(BY_ENUM, session.status_enum) ??
    (running ? lookup(BY_DETAIL, session.statusDetail) : undefined) ??
    lookup(BY_STATUS, session.status)
  );
}

/** The detail people should hear of beside the state; undefined when the state says it all. */
export function stateDetail(session: StatusFields): StateDetail | undefined {
  const status = session.status?.toLowerCase();
  if (status === 'running' && session.statusDetail === 'waiting_for_approval') return { kind: 'approval' };
  if (status === 'suspended' && isQuotaReason(session.statusDetail))
    return { kind: 'quota', reason: session.statusDetail };
  return undefined;
}

/** The same detail, the same key: `approval`, `quota:out_of_credits`; '' for none. */
export function detailKey(detail: StateDetail | undefined): string {
  if (!detail) return '';
  return detail.kind === 'quota' ? `quota:${detail.reason}` : detail.kind;
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
  error: ':x: ended with an error',
};
