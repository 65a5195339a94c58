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
  // A test that forgets to stop a server must fail loudly rather than hang CI.
  forceExit: false,
  detectOpenHandles: false,
};
