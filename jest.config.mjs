/**
 * All jest suites. The API and the tests are TypeScript run as ES modules
 * (NestJS 12 ships ESM only), so jest runs with --experimental-vm-modules.
 */
const esmTs = {
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleNameMapper: { '^@vigil/shared$': '<rootDir>/libs/shared/src/index.ts' },
};

export default {
  projects: [
    {
      ...esmTs,
      displayName: 'unit',
      // test/tooling: the test runner's own parts (system needs).
      testMatch: ['<rootDir>/apps/api/src/**/*.spec.ts', '<rootDir>/libs/shared/src/**/*.spec.ts', '<rootDir>/test/tooling/**/*.test.ts'],
    },
    { ...esmTs, displayName: 'integration', testMatch: ['<rootDir>/test/api/**/*.test.ts'] },
    { ...esmTs, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    '<rootDir>/apps/web/jest.config.cjs',
  ],
};
