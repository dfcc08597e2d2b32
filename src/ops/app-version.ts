import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** This app's version, as its `package.json` (beside `src/` and `dist/`) says; `unknown` if it cannot be read. */
export const APP_VERSION: string = readVersion();

function readVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
