/** One line of the doctor's checklist. A skipped check is neither passed nor failed (it says why it did not run). */
export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  /** What was checked, as the line starts: `Slack auth.test`, `Devin API`, `Store`. */
  name: string;
  status: CheckStatus;
  /** What was found: the evidence when passed, the problem when failed, the reason when skipped. */
  detail: string;
  /** What to do about a failure. */
  fix?: string;
  /** Further lines under this one (each problem of the configuration). */
  more?: string[];
}

export function passed(name: string, detail: string): CheckResult {
  return { name, status: 'passed', detail };
}

export function failed(name: string, problem: string, fix?: string, more?: string[]): CheckResult {
  return { name, status: 'failed', detail: problem, ...(fix ? { fix } : {}), ...(more?.length ? { more } : {}) };
}

export function skipped(name: string, reason: string): CheckResult {
  return { name, status: 'skipped', detail: reason };
}

/** A failure as one sentence, the way start-up reports it: `Slack auth.test: <problem>; <fix>`. */
export function failureSentence(result: CheckResult): string {
  return `${result.name}: ${result.detail}${result.fix ? `; ${result.fix}` : ''}`;
}
