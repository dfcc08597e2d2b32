#!/usr/bin/env node
import { readEnvironment } from './config/load-config';
import { runDoctor } from './ops/doctor/run-doctor';

const USAGE = `Usage: devin-slack <command>

Commands:
  start    run the app (what npm start runs)
  doctor   check the configuration, Slack, Devin and the store without starting the app (also beside a
           running app); exits 0 only when every check passed. --json prints the checks as JSON
`;

async function doctor(format: 'text' | 'json'): Promise<never> {
  const report = await runDoctor({ env: readEnvironment(), format });
  // Exit once the checklist is written: an open connection (a Redis client reconnecting) must not keep the process.
  return new Promise<never>(() => process.stdout.write(report.text, () => process.exit(report.exitCode)));
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'doctor' && (rest.length === 0 || (rest.length === 1 && rest[0] === '--json'))) {
  doctor(rest[0] === '--json' ? 'json' : 'text').catch((error: unknown) => {
    process.stderr.write(`devin-slack doctor failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
} else if (command === 'start' && rest.length === 0) {
  // The app starts as its module loads, exactly as `npm start` runs it.
  void import('./index');
} else if (command === 'help' || command === '--help' || command === '-h') {
  process.stdout.write(USAGE);
} else {
  process.stderr.write(
    command === undefined ? USAGE : `Unknown command: ${process.argv.slice(2).join(' ')}\n\n${USAGE}`,
  );
  process.exit(2);
}
