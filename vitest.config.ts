import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: DuckDB-heavy files run better a few at a time than all at once.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'embedded', include: ['test/**/*.test.ts'], exclude: ['test/matrix/**', '**/node_modules/**'] } },
      // The warehouse matrix: tests written once for every warehouse that can run here. Its globalSetup
      // starts one real PostgreSQL server, and only when one of these files runs.
      { extends: true, test: { name: 'warehouses', include: ['test/matrix/**/*.test.ts'], globalSetup: ['test/helpers/postgres-global-setup.ts'] } },
    ],
  },
});
