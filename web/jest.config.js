/** Component tests: jsdom + @swc/jest, Apollo's MockedProvider. */
export default {
  displayName: 'web',
  rootDir: '.',
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts?(x)'],
  // Jest's 5 s default is too tight on a shared 2-core CI machine (a render-heavy test took longer under load).
  // npm test's summary lists each failure (scripts/failure-summary-reporter.cjs).
  reporters: ['default', '<rootDir>/../scripts/failure-summary-reporter.cjs'],
  testTimeout: 20_000,
  setupFilesAfterEnv: ['<rootDir>/src/test/setupTests.ts'],
  moduleNameMapper: { '\\.css$': '<rootDir>/src/test/styleMock.cjs' },
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // jsdom's "browser" export condition would pick ESM builds jest cannot run.
  testEnvironmentOptions: { customExportConditions: ['node', 'require', 'default'] },
};
