import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - unit: pure code, no services, runs in parallel.
 * - integration (+ e2e): real Redis, PostgreSQL and MinIO, started once per run by the global setup (or
 *   reused from EVIDOCK_TEST_* URLs). Files run one at a time: on a 2-core machine three servers plus
 *   parallel test files would make timings flaky. Each file isolates itself with test/support/isolation.ts.
 */
export default defineConfig({
  test: {
    // Stopping the servers in the global teardown can take a few seconds.
    teardownTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
