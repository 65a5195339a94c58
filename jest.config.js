/**
 * Jest runs the TypeScript sources as ESM through ts-jest, transpiling each file on its own (tsconfig.json sets
 * `isolatedModules`, so ts-jest does not type-check; `npm test` runs `tsc --noEmit` first).
 */
export default {
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  testTimeout: 20000,
  // A test that prints (console, process.stdout/stderr) without calling expectOutput fails: test/support/output-guard.ts.
  setupFilesAfterEnv: ['<rootDir>/test/support/output-guard.ts'],
  // The tests of each file run in a new random order on every run, so a test that only passes after another one is
  // caught the day it is written, not the day somebody reorders the file. The seed is printed under the summary
  // ("Seed: N"); `npm run test:jest -- --seed=N <file>` replays that order.
  randomize: true,
  // The Redis-using tests get a Redis: 127.0.0.1:6379 if one answers, else a redis-server started for the run (stopped
  // in teardown); without either the run fails at once saying what to install (test/support/global-setup.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // forceExit stays off (Jest's default): it would end the run over a server or connection a test forgot to stop and
  // hide the leak. What a leak does instead depends on where the tests ran. In Jest's own process (one file, or one
  // worker, which is what a 2-core machine gets) the run does not end, and after openHandlesTimeout (1 s) Jest warns
  // "Jest did not exit one second after the test run has completed"; in worker processes Jest kills the leaking worker
  // and says "A worker process has failed to exit gracefully and has been force exited". Find the handle with
  // `npm run test:jest -- --detectOpenHandles <file>` (which also runs the files in Jest's own process).
};
