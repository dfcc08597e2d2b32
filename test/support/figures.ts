import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where measured figures go, one JSON line each (FIGURES_FILE overrides it). */
export const FIGURES_FILE = process.env.FIGURES_FILE ?? join(tmpdir(), 'devin-slack-figures.jsonl');

/**
 * Records a figure a test measured (how long a resume or a takeover took): a line on stderr for the person running the
 * tests, and a JSON line in FIGURES_FILE for whoever collects them. Timed tests assert a bound; this keeps the value.
 */
export function recordFigure(name: string, ms: number, detail: Record<string, unknown> = {}): void {
  const line = { name, ms, ...detail, at: new Date().toISOString() };
  appendFileSync(FIGURES_FILE, `${JSON.stringify(line)}\n`);
  process.stderr.write(`[figure] ${name}: ${ms} ms ${JSON.stringify(detail)}\n`);
}
