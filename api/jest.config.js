// API tests: real servers over HTTP/WebSocket on a real database (PGlite by default, PostgreSQL when
// TEST_DATABASE_URL is set). Run with NODE_OPTIONS=--experimental-vm-modules (PGlite loads itself dynamically).
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // npm test's summary lists each failure (scripts/failure-summary-reporter.cjs).
  reporters: ['default', '<rootDir>/../scripts/failure-summary-reporter.cjs'],
  testTimeout: 120_000,
  maxWorkers: 2,
};
