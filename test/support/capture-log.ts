import { Writable } from 'node:stream';
import { createLogger } from '../../src/lib/logger';

/** A real logger whose JSON lines are kept for the test to read. */
export function captureLog() {
  const lines: Array<{ level: number; msg: string; [field: string]: unknown }> = [];
  const log = createLogger({
    level: 'debug',
    secrets: [],
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    }),
  });
  const warnings = () => lines.filter((l) => l.level === 40).map((l) => l.msg);
  return { log, lines, warnings };
}
