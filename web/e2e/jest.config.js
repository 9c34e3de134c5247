/** End-to-end: real API server (embedded PGlite) + Debian chromium via playwright-core. */
export default {
  displayName: 'web-e2e',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.e2e.ts'],
  // npm test's summary lists each failure (scripts/failure-summary-reporter.cjs).
  reporters: ['default', '<rootDir>/../../scripts/failure-summary-reporter.cjs'],
  testTimeout: 120_000,
  maxWorkers: 1,
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
};
