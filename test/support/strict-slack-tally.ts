import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TALLY_ENV } from './strict-slack';

interface Line {
  file: string;
  checked: number;
  governed: number;
}

/** Jest's global set-up: a fresh tally file, named in the environment the test workers inherit. */
export function startTally(): void {
  const dir = mkdtempSync(join(tmpdir(), 'strict-slack-'));
  process.env[TALLY_ENV] = join(dir, 'tally.jsonl');
}

/** Jest's global tear-down: the number of Slack calls the strict fake checked in the whole run. */
export function reportTally(): void {
  const path = process.env[TALLY_ENV];
  if (!path || !existsSync(path)) return;
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);
  const checked = lines.reduce((sum, line) => sum + line.checked, 0);
  const governed = lines.reduce((sum, line) => sum + line.governed, 0);
  process.stdout.write(
    `\nStrict fake Slack: ${checked} calls checked against Slack's limits (${governed} of them messages, views, ` +
      `reactions, uploads or statuses) in ${lines.length} test files.\n`,
  );
  if (process.env.STRICT_SLACK_TALLY_FILES) {
    for (const line of lines) process.stdout.write(`  ${relative(process.cwd(), line.file)}: ${line.checked}\n`);
  }
  rmSync(join(path, '..'), { recursive: true, force: true });
}
