import type { Logger } from '../lib/logger';
import type { Attribution } from './attribution';
import type { DevinApi } from './ports/devin';
import { isDevinError } from './ports/devin-errors';

export interface SessionOwnerDeps {
  devin: Pick<DevinApi, 'getSession'>;
  /** Finds the Slack person's Devin account (`DEVIN_ACT_AS_SLACK_USER`). */
  attribution: Pick<Attribution, 'actingFor'>;
  log: Logger;
}

/**
 * Whether the Slack person is the organization member a session belongs to in Devin (with
 * `DEVIN_ACT_AS_SLACK_USER`: their email found among the members, and the session created as them). False when either
 * cannot be told: a failure never makes someone an owner.
 */
export function sessionOwner(deps: SessionOwnerDeps): (sessionId: string, slackUserId: string) => Promise<boolean> {
  return async (sessionId, slackUserId) => {
    try {
      const [session, acting] = await Promise.all([
        deps.devin.getSession(sessionId),
        deps.attribution.actingFor(slackUserId),
      ]);
      return Boolean(session?.ownerId) && 'asUserId' in acting && acting.asUserId === session?.ownerId;
    } catch (error) {
      if (!isDevinError(error)) throw error;
      deps.log.warn({ session_id: sessionId, user_id: slackUserId, err: error }, 'could not tell whose session it is');
      return false;
    }
  };
}
