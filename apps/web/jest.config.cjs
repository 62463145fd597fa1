// Unit tests for the web app: jest-preset-angular, jsdom, zoneless.
// Run: npx jest -c apps/web/jest.config.cjs
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'web',
  preset: 'jest-preset-angular',
  rootDir: __dirname,
  testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    '^@vigil/shared$': '<rootDir>/../../libs/shared/src/index.ts',
  },
  transform: {
    '^.+\\.(ts|js|mjs|html|svg)$': [
      'jest-preset-angular',
      { tsconfig: '<rootDir>/tsconfig.spec.json', stringifyContentPathRegex: '\\.(html|svg)$' },
    ],
  },
  cacheDirectory: '<rootDir>/../../node_modules/.cache/jest-web',
  coverageDirectory: '<rootDir>/../../coverage/web',
};
