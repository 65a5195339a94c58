/** Jest runs the TypeScript sources as ESM through ts-jest (transpile only: `npm test` runs `tsc --noEmit` first). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  testTimeout: 20000,
  // The Redis-using tests get a Redis: 127.0.0.1:6379 if one answers, else a redis-server started for the run (stopped
  // in teardown); without either the run fails at once saying what to install (test/support/global-setup.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Off (Jest's default), on purpose: a test that forgets to stop a server or a connection keeps Jest from exiting, and
  // Jest says so ("Jest did not exit one second after the test run has completed"); forceExit would hide that leak.
  // Find the handle with `npx jest --detectOpenHandles <file>`.
  forceExit: false,
  detectOpenHandles: false,
};
