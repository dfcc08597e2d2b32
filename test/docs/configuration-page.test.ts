import { readFileSync } from 'node:fs';
import { CONFIG_PAGE, configTable, renderConfigPage } from '../../scripts/config-docs';
import { CONFIG_VARIABLES } from '../../src/config/config-schema';

describe('docs/configuration.md', () => {
  const page = readFileSync(CONFIG_PAGE, 'utf8');

  it('holds the table the configuration schema draws (run `npm run docs:config` after changing a variable)', () => {
    expect(page).toBe(renderConfigPage(page));
  });

  it('has one row per variable, with a default and a meaning', () => {
    const rows = configTable().slice(2);
    expect(rows.map((row) => row.split('|')[1].trim())).toEqual(CONFIG_VARIABLES.map((name) => `\`${name}\``));
    for (const row of rows) {
      const [, , fallback, meaning] = row.split(/(?<!\\)\|/).map((cell) => cell.trim());
      expect(fallback).not.toBe('');
      expect(meaning).not.toBe('');
    }
  });

  it('says what an unset variable means: required, a default value, or what unset stands for', () => {
    const row = (name: string) => configTable().find((line) => line.startsWith(`| \`${name}\` `)) ?? '';
    expect(row('SLACK_BOT_TOKEN')).toMatch(/\| required +\|/);
    expect(row('DEVIN_API_URL')).toContain('`https://api.devin.ai`');
    expect(row('ALLOWED_USER_IDS')).toContain('unset (anyone)');
    expect(row('DEVIN_ATTACHMENT_HOSTS')).toContain('`storage.devin.ai`');
  });

  it('refuses a page that lost its markers rather than writing the table somewhere else', () => {
    expect(() => renderConfigPage('# Configuration\n')).toThrow(/markers/);
  });
});
