import type { Config } from '../config';
import { DevinClient } from '../devin/devin-client';
import { DevinApiError, DevinNetworkError } from '../devin/devin-errors';
import { type CheckResult, failed, passed } from './check-result';
import { networkReason, printableUrl, unreachable } from './network-reason';

export const DEVIN_CHECK = 'Devin API';

const KEY_FIX = 'create a key in Devin\'s settings ("API keys") and set DEVIN_API_KEY';
const URL_FIX = "check DEVIN_API_URL (Devin's is https://api.devin.ai)";

/** The key against Devin's API with the cheapest authenticated read: listing one session. */
export async function checkDevin(config: Config, deadlineMs: number): Promise<CheckResult> {
  const base = printableUrl(config.devin.apiUrl).replace(/\/+$/, '');
  const client = new DevinClient({
    apiUrl: config.devin.apiUrl,
    apiKey: config.devin.apiKey,
    timeoutMs: Math.min(config.devin.requestTimeoutMs, deadlineMs),
  });
  try {
    const sessions = await client.listSessions(1);
    const read = sessions.length === 0 ? 'no sessions yet' : 'read the newest session';
    return passed(DEVIN_CHECK, `${base} accepted DEVIN_API_KEY (GET /v1/sessions?limit=1: ${read})`);
  } catch (error) {
    return devinProblem(error, base, deadlineMs);
  }
}

function devinProblem(error: unknown, base: string, deadlineMs: number): CheckResult {
  if (error instanceof DevinNetworkError) {
    return failed(
      DEVIN_CHECK,
      unreachable(base, networkReason(error, deadlineMs)),
      'check DEVIN_API_URL and the network (DNS, proxy, firewall)',
    );
  }
  if (error instanceof DevinApiError) {
    if (error.unauthorized) return failed(DEVIN_CHECK, `DEVIN_API_KEY was refused (HTTP ${error.status})`, KEY_FIX);
    const detail = error.detail ? `: ${error.detail}` : '';
    if (error.status === 200) return failed(DEVIN_CHECK, `${base} answered, but not as Devin's API does`, URL_FIX);
    if (error.status === 429 || error.status >= 500) {
      return failed(
        DEVIN_CHECK,
        `${base} answered HTTP ${error.status}${detail}`,
        "Devin's API is busy or having trouble: try again later",
      );
    }
    return failed(DEVIN_CHECK, `${base} answered HTTP ${error.status}${detail}`, URL_FIX);
  }
  return failed(DEVIN_CHECK, error instanceof Error ? error.message : String(error), URL_FIX);
}
