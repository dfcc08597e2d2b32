import { type CheckResult, failed } from '../../lib/check-result';
import { networkReason, printableUrl, unreachable } from '../../lib/network-reason';
import { DevinApiError, DevinNetworkError } from '../../relay/ports/devin-errors';

export const DEVIN_CHECK = 'Devin API';

export const KEY_FIX = 'create a key in Devin\'s settings ("API keys") and set DEVIN_API_KEY';
const URL_FIX = "check DEVIN_API_URL (Devin's is https://api.devin.ai)";

/** Devin's API as the checklist names it: its base URL, without user or password. */
export function apiBase(apiUrl: string): string {
  return printableUrl(apiUrl).replace(/\/+$/, '');
}

/**
 * A failed check of Devin, in one line with its fix: unreachable, a refused key (`refusedKey`: a version's own
 * sentence for a 401, with its fix), an answer that is not Devin's, or Devin in trouble.
 */
export function devinProblem(
  name: string,
  error: unknown,
  context: { apiUrl: string; deadlineMs: number; refusedKey?: { problem: string; fix: string } },
): CheckResult {
  const base = apiBase(context.apiUrl);
  if (error instanceof DevinNetworkError) {
    return failed(
      name,
      unreachable(base, networkReason(error, context.deadlineMs)),
      'check DEVIN_API_URL and the network (DNS, proxy, firewall)',
    );
  }
  if (error instanceof DevinApiError) {
    if (error.status === 401 && context.refusedKey) {
      return failed(
        name,
        `DEVIN_API_KEY was refused (HTTP 401): ${context.refusedKey.problem}`,
        context.refusedKey.fix,
      );
    }
    if (error.unauthorized) return failed(name, `DEVIN_API_KEY was refused (HTTP ${error.status})`, KEY_FIX);
    const detail = error.detail ? `: ${error.detail}` : '';
    if (error.status === 200) return failed(name, `${base} answered, but not as Devin's API does`, URL_FIX);
    if (error.status === 429 || error.status >= 500) {
      return failed(
        name,
        `${base} answered HTTP ${error.status}${detail}`,
        "Devin's API is busy or having trouble: try again later",
      );
    }
    return failed(name, `${base} answered HTTP ${error.status}${detail}`, URL_FIX);
  }
  return failed(name, error instanceof Error ? error.message : String(error), URL_FIX);
}
