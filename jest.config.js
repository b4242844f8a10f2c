/** Unit specs sit beside the code; suites that need real servers live in test/. */

// Jest's CommonJS runtime can neither require an ES module nor run a dynamic import()
// without an experimental flag; Node can do both. Compile these few dependencies to plain
// CommonJS for Jest: content-disposition ships only ESM, PGlite's CommonJS build imports
// Node built-ins dynamically.
const ESM_ONLY = ['content-disposition', '@electric-sql/pglite'];

const common = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.c?js$`]: [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};

module.exports = {
  // Jest reads the timeout from the top level only; integration suites wait on real servers.
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/console/'],
    },
    // The web console in headless Chromium (npm run build:ui first; scripts/test.sh does).
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/console/**/*.test.ts'] },
  ],
};
