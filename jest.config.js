/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 20000,
  // Two test files at a time, even on two cores: most of a test's time is spent waiting on sockets, child processes
  // and timers, so the run takes about half as long (Jest's default here would be one worker).
  maxWorkers: 2,
  // The fake Slack refuses what Slack refuses: every test's calls are checked, and the run counts them.
  setupFilesAfterEnv: ['<rootDir>/test/support/strict-slack.setup.ts'],
  globalSetup: '<rootDir>/test/support/strict-slack-start.ts',
  globalTeardown: '<rootDir>/test/support/strict-slack-report.ts',
};
