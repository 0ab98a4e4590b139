import { defineConfig } from 'vitest/config';

// Two projects: `unit` (no I/O, beside the code and in test/unit) and `integration`
// (real PostgreSQL, real Docker, real HTTP). `make test` runs both.
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
          maxConcurrency: 4,
        },
      },
    ],
  },
});
