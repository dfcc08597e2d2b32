import type { SessionState } from '../../relay/model/session-state';
import { lookupState, stateOfStatus } from '../shared/session-status';

/** API v1's `status_enum`. */
const BY_ENUM: Record<string, SessionState> = {
  working: 'working',
  resumed: 'working',
  resume_requested: 'working',
  resume_requested_frontend: 'working',
  blocked: 'waiting',
  // Devin's newer words for a running session that waits for people.
  waiting_for_user: 'waiting',
  waiting_for_approval: 'waiting',
  suspend_requested: 'asleep',
  suspend_requested_frontend: 'asleep',
  finished: 'finished',
  expired: 'expired',
};

/** The state of a v1 session: from `status_enum`, else from the free-text `status`; undefined when neither is known. */
export function v1State(session: { status?: string | null; status_enum?: string | null }): SessionState | undefined {
  return lookupState(BY_ENUM, session.status_enum) ?? stateOfStatus(session.status);
}
