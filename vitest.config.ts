import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: DuckDB-heavy files run better a few at a time than all at once.
    maxWorkers: 2,
  },
});
