import type { CheckResult } from '../../lib/check-result';

const MARKS = { passed: '✓', failed: '✗', skipped: '-' } as const;

/** The checklist as plain text: one line per check (its fix after a dash), then a summary. Secrets never show. */
export function renderChecklist(results: CheckResult[], secrets: string[] = []): string {
  const lines: string[] = [];
  for (const result of results) {
    const detail = result.status === 'skipped' ? `skipped: ${result.detail}` : result.detail;
    lines.push(`${MARKS[result.status]} ${result.name}: ${detail}${result.fix ? ` — ${result.fix}` : ''}`);
    for (const more of result.more ?? []) lines.push(`    - ${more}`);
  }
  lines.push(summary(results));
  return redact(`${lines.join('\n')}\n`, secrets);
}

function redact(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/**
 * The checklist as JSON for scripts: `ok`, the exit code, the summary line and each check as an object (`name`,
 * `status` passed|failed|skipped, `detail`, and `fix` and `more` when there are). Secrets never show.
 */
export function renderJson(results: CheckResult[], secrets: string[] = []): string {
  const report = {
    ok: exitCodeOf(results) === 0,
    exit_code: exitCodeOf(results),
    summary: summary(results),
    checks: results,
  };
  return redact(`${JSON.stringify(report, null, 2)}\n`, secrets);
}

/** 0 only when no check failed and every check that needed the configuration ran. */
export function exitCodeOf(results: CheckResult[]): number {
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

function summary(results: CheckResult[]): string {
  const failedNames = results.filter((r) => r.status === 'failed').map((r) => r.name);
  const skippedCount = results.filter((r) => r.status === 'skipped').length;
  const ran = results.length - skippedCount;
  const skippedNote = skippedCount > 0 ? `, ${skippedCount} skipped` : '';
  if (failedNames.length === 0) return `devin-slack doctor: all ${ran} checks passed${skippedNote}.`;
  return `devin-slack doctor: ${failedNames.length} of ${ran} checks failed (${failedNames.join(', ')})${skippedNote}.`;
}
