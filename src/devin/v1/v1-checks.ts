import { type CheckResult, passed } from '../../lib/check-result';
import type { DevinClientOptions } from '../shared/client-options';
import { apiBase, DEVIN_CHECK, devinProblem } from '../shared/devin-checks';
import { DevinV1Client } from './devin-v1-client';

/** The key against API v1 with the cheapest authenticated read: one session listed. */
export async function v1Checks(options: DevinClientOptions, deadlineMs: number): Promise<CheckResult[]> {
  const client = new DevinV1Client(options);
  const base = apiBase(options.apiUrl);
  try {
    const sessions = await client.listSessions(1);
    const read = sessions.length === 0 ? 'no sessions yet' : 'read the newest session';
    return [passed(DEVIN_CHECK, `${base} accepted DEVIN_API_KEY (GET /v1/sessions?limit=1: ${read})`)];
  } catch (error) {
    return [devinProblem(DEVIN_CHECK, error, { apiUrl: options.apiUrl, deadlineMs })];
  }
}
