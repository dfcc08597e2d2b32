import type { SessionState, StateDetail } from '../../relay/model/session-state';
import { lookupState, stateOfStatus } from '../shared/session-status';
import { isQuotaReason, quotaWords } from './suspension';

/** What a running session is doing (`status_detail`). */
const BY_DETAIL: Record<string, SessionState> = {
  working: 'working',
  waiting_for_user: 'waiting',
  waiting_for_approval: 'waiting',
  finished: 'finished',
};

interface V3Status {
  status?: string | null;
  status_detail?: string | null;
}

/**
 * The state of a v3 session: a running one by its `status_detail` (working, waiting for someone, or finished); else
 * by its `status`. Undefined when neither is known.
 */
export function v3State(session: V3Status): SessionState | undefined {
  const running = session.status?.toLowerCase() === 'running';
  return (running ? lookupState(BY_DETAIL, session.status_detail) : undefined) ?? stateOfStatus(session.status);
}

/** The detail people should hear of beside the state (an approval awaited, out of quota); undefined when none. */
export function v3Detail(session: V3Status): StateDetail | undefined {
  const status = session.status?.toLowerCase();
  const detail = session.status_detail;
  if (status === 'running' && detail === 'waiting_for_approval') return { kind: 'approval' };
  if (status === 'suspended' && isQuotaReason(detail))
    return { kind: 'quota', reason: detail, words: quotaWords(detail) };
  return undefined;
}
