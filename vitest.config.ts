import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file gets its own PostgreSQL schema; two workers keep the 2-core machines responsive.
    maxWorkers: 2,
    // A net for a hang, never a measure: on a loaded machine a long walk (a browser, a whole
    // screening, a crash and restart) takes minutes; tests wait on conditions, not on time.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
