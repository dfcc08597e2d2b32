import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { CONFIG_VARIABLES } from '../../src/config/config-schema';
import { loadConfig } from '../../src/config/load-config';
import { problemsOf, VALID } from '../support/config-problems';

const example = parse(readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8'));

describe('.env.example', () => {
  it('lists every setting the configuration reads, and nothing else', () => {
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(20);
    expect(Object.keys(example).sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('is refused as copied, with one sentence per placeholder saying which value to replace and with what', () => {
    expect(problemsOf(example)).toEqual([
      'SLACK_BOT_TOKEN still holds the placeholder from .env.example: replace it with the bot token (xoxb-...) from "OAuth & Permissions"',
      'SLACK_SIGNING_SECRET still holds the placeholder from .env.example: replace it with the signing secret from "Basic Information" > "App Credentials"',
      expect.stringMatching(
        /^SLACK_APP_TOKEN still holds the placeholder from \.env\.example: replace it with an app-level token \(xapp-\.\.\.\).*or leave it empty to run in HTTP mode$/,
      ),
      expect.stringMatching(
        /^DEVIN_API_KEY still holds the placeholder from \.env\.example: replace it with a service user's token \(cog_\.\.\.\)/,
      ),
    ]);
  });

  it('loads once the placeholders are replaced: every other value in it is valid', () => {
    const config = loadConfig(
      {
        ...example,
        SLACK_BOT_TOKEN: 'xoxb-1234-5678-abcdef',
        SLACK_SIGNING_SECRET: '8f14e45fceea167a5a36dedd4bea2543',
        SLACK_APP_TOKEN: 'xapp-1-A0123-4567-abcdef',
        DEVIN_API_KEY: 'apk_user_abcdef0123456789',
      },
      { stdoutIsTTY: false },
    );
    expect(config.storeUrl).toBe('sqlite://./data/devin-slack.sqlite');
    expect(config.devin.webUrl).toBe('https://app.devin.ai');
  });
});

describe('placeholders', () => {
  it('names a placeholder instead of what else is wrong with it, and never shows the value', () => {
    const problems = problemsOf({ ...VALID, METRICS_TOKEN: 'change-me', DEVIN_ORG_ID: 'org-your-org' });
    expect(problems).toEqual([
      'DEVIN_ORG_ID still holds the placeholder from .env.example: replace it with your own value',
      'METRICS_TOKEN still holds the placeholder from .env.example: replace it with a random secret of 16 or more characters (openssl rand -hex 24), or leave it empty',
    ]);
    expect(problems.join('\n')).not.toContain('change-me');
  });

  it("ignores the signing secret's placeholder in Socket Mode, where no signature is checked, and does not keep it", () => {
    const config = loadConfig({
      ...VALID,
      SLACK_APP_TOKEN: 'xapp-1-A0123-4567-abcdef',
      SLACK_SIGNING_SECRET: 'your-signing-secret',
    });
    expect(config.slack.appToken).toBe('xapp-1-A0123-4567-abcdef');
    expect(config.slack.signingSecret).toBeUndefined();
  });

  it("still refuses the signing secret's placeholder in HTTP mode, and when the app token is a placeholder too", () => {
    expect(problemsOf({ ...VALID, SLACK_SIGNING_SECRET: 'your-signing-secret' })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET still holds the placeholder/),
    ]);
    expect(
      problemsOf({ ...VALID, SLACK_APP_TOKEN: 'xapp-your-app-token', SLACK_SIGNING_SECRET: 'your-signing-secret' }),
    ).toHaveLength(2);
  });

  it('takes real values that merely contain the word', () => {
    expect(loadConfig({ ...VALID, DEVIN_API_KEY: 'apk_yourcompany_0123' }).devin.apiKey).toBe('apk_yourcompany_0123');
  });
});
