import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    // the tests spawn tsc: two at a time keep two cores busy without starving each other on a shared machine
    maxConcurrency: 2,
    // the packages under test are run as built (dist/), by Node as a user's code would, not transformed again
    server: { deps: { external: [/\/packages\/[^/]+\/dist\//] } },
  },
});
