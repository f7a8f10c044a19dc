import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The README examples import the package by name; run them against the source.
  resolve: { alias: { '@nhs-fhir/auth': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // oidc-provider (the CIS2 stand-in, a devDependency) warns on import when Node is older than 22 LTS:
    // "Unsupported runtime. Use Node.js v22.x LTS, or a later LTS release." The workspace supports Node 20.19+,
    // the tests pass on it, and each test file that imports it printed the warning again: that one line is
    // dropped, every other log is kept. It also says, once per provider a test starts, that its in-memory
    // adapter is for development only: true, and what a stand-in that lives for one test file wants.
    onConsoleLog: (log) =>
      !log.includes('oidc-provider WARNING: Unsupported runtime.') &&
      !log.includes('oidc-provider WARNING: a quick start development-only in-memory adapter is used'),
  },
});
