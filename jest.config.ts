import type { Config } from 'jest';

/**
 * One embedded store for the whole run (test/support/global-setup.ts) unless MONGODB_URI is set;
 * each test file then works in a database of its own.
 */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // isolatedModules in tsconfig makes ts-jest transpile only (fast); type-checking is
    // `npm run typecheck`'s job.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
  // Two cores: more workers only contend with the store and the Playground.
  maxWorkers: 2,
};

export default config;
