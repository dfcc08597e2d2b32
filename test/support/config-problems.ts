import { ConfigError, loadConfig } from '../../src/config/load-config';

/** The least a configuration needs (HTTP mode, API v1). */
export const VALID = {
  SLACK_BOT_TOKEN: 'xoxb-1-valid',
  SLACK_SIGNING_SECRET: 'signing-secret',
  DEVIN_API_KEY: 'apk_valid',
};

/** The problems `loadConfig` reports for `env`; fails the test when it loads. */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { stdoutIsTTY: false });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}
