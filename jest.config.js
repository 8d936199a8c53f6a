// Two projects: unit specs beside the code (pure, milliseconds) and e2e specs on real PostgreSQL.
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];
const moduleNameMapper = {
  '^@desk/case-workflow$': '<rootDir>/libs/case-workflow/src/index.ts',
  '^@desk/calendar$': '<rootDir>/libs/calendar/src/index.ts',
  '^@desk/identity$': '<rootDir>/libs/identity/src/index.ts',
  '^@desk/fees$': '<rootDir>/libs/fees/src/index.ts',
  '^@desk/letters$': '<rootDir>/libs/letters/src/index.ts',
  '^@desk/reports$': '<rootDir>/libs/reports/src/index.ts',
  '^@desk/vocabulary$': '<rootDir>/libs/vocabulary/src/index.ts',
  '^@desk/api-client$': '<rootDir>/libs/api-client/src/index.ts',
};
const common = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  // Nest 12 and openid-client 6 (with oauth4webapi and jose) ship ESM only: let swc turn them into CommonJS for Jest.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|uid|file-type|strtok3|token-types|@tokenizer|openid-client|oauth4webapi|jose)/)'],
  moduleNameMapper,
  testEnvironment: 'node',
};
module.exports = {
  // Applies to every project (a per-project testTimeout is not honoured); e2e steps run real PostgreSQL transactions.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      // The service tier (use cases without HTTP) shares the e2e tier's template database and its global setup.
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/test/service/**/*.service-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      setupFiles: ['reflect-metadata'],
    },
  ],
};
