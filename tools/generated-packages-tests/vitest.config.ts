import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    // the packages under test are run as built (dist/), by Node as a user's code would, not transformed again
    server: { deps: { external: [/\/packages\/[^/]+\/dist\//] } },
  },
});
