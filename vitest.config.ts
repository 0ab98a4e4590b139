import { defineConfig } from 'vitest/config';

// Test files that create containers and networks on the one local Docker engine. They run
// one after another in a single fork: each uses its own store, so IPAM in two files could
// hand out overlapping subnets, which Docker refuses. Everything else runs in parallel.
const DOCKER_FILES = [
  'test/integration/vim-docker.test.ts',
  'test/integration/chain-docker.test.ts',
  'test/integration/engine-fault.test.ts',
  'test/integration/worker-recovery.test.ts',
  'test/integration/chaos-workers.test.ts',
  'test/integration/reconcile-docker.test.ts',
  'test/integration/ves-measurement.test.ts',
  'test/integration/metrics-endpoint.test.ts',
  'test/integration/ves-docker-e2e.test.ts',
  'test/e2e/demo.test.ts',
  'test/e2e/dashboard.test.ts',
  'test/e2e/cli-alarms.test.ts',
];
// The real OpenStack is slow and shared: its files run one after another too.
const OPENSTACK_FILES = ['test/integration/openstack-*.test.ts'];

const slow = { testTimeout: 300_000, hookTimeout: 300_000, pool: 'forks' as const, poolOptions: { forks: { singleFork: true } } };

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          exclude: [...DOCKER_FILES, ...OPENSTACK_FILES],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
      { test: { name: 'docker', include: DOCKER_FILES, ...slow } },
      { test: { name: 'openstack', include: OPENSTACK_FILES, ...slow } },
    ],
  },
});
