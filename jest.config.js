/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 20000,
  // The fake Slack refuses what Slack refuses: every test's calls are checked, and the run counts them.
  setupFilesAfterEnv: ['<rootDir>/test/support/strict-slack.setup.ts'],
  globalSetup: '<rootDir>/test/support/strict-slack-start.ts',
  globalTeardown: '<rootDir>/test/support/strict-slack-report.ts',
};
