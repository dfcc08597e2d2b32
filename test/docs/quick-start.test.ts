import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { loadConfig } from '../../src/config/load-config';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Contents'));

/** Real-looking values for what the quick start asks to fill in, by their prefix (`xoxb-…` -> `xoxb-1-…`). */
function filledIn(lines: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(lines).map(([name, value]) => [name, value.replace('…', '1-abcdef0123')]));
}

describe("the README's quick start", () => {
  it('stays within 40 lines', () => {
    expect(quickStart.trim().split('\n').length).toBeLessThanOrEqual(40);
  });

  it('names the lines to set in .env, and .env.example with only those set starts the app in Socket Mode', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(quickStart)?.[1] ?? '';
    const lines = parse(block);
    expect(Object.keys(lines)).toEqual(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'DEVIN_API_KEY']);
    const example = parse(readFileSync(join(root, '.env.example'), 'utf8'));
    const config = loadConfig({ ...example, ...filledIn(lines) }, { stdoutIsTTY: false });
    expect(config.slack.appToken).toMatch(/^xapp-/);
    expect(config.devin.version).toBe('v3');
    expect(config.storeUrl).toMatch(/^sqlite:/);
  });
});
