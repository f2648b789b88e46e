// Shared jest settings for every workspace: TypeScript through SWC (type checking is
// `npm run typecheck`'s job), real servers from @ticketing/dev-servers.
const path = require('node:path');

module.exports = (dir, overrides = {}) => ({
  displayName: path.basename(dir),
  rootDir: dir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  globalSetup: require.resolve('@ticketing/dev-servers/jest-global-setup'),
  globalTeardown: require.resolve('@ticketing/dev-servers/jest-global-teardown'),
  testTimeout: 60_000,
  ...overrides,
});
