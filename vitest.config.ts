import { defineConfig } from 'vitest/config';

// Temporal's native bridge dislikes worker threads: run every test file in its own forked process,
// one at a time on a 2-core machine so servers started by the tests do not starve each other.
export default defineConfig({
  test: {
    pool: 'forks',
    fileParallelism: false,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
