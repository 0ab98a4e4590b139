import { defineConfig } from 'vitest/config';

// Test files that create containers and networks on the one local Docker engine, in two
// lanes that run side by side, each one file at a time (singleFork). Docker refuses
// overlapping subnets on one engine, and IPAM state is per file (each file has its own
// store), so two files may only run at once when their subnets cannot meet:
// - DOCKER_FILES start a whole Rondo (or a driver with its own fixed ranges) whose IPAM
//   hands out the first subnets of every pool: one after another.
// - DOCKER_WORKER_FILES use test/support/worker-runtime.ts with SAP-pair NSDs only (the SAP
//   pool) from their own `reserveSapSubnets` offset (1000, 2000, 3000, 4000: 1000 /29s
//   each, above the few the first lane uses); engine-fault runs its own second dockerd.
//   A new file here needs its own offset.
const DOCKER_FILES = [
  'test/integration/vim-docker.test.ts',
  'test/integration/chain-docker.test.ts',
  'test/integration/ves-measurement.test.ts',
  'test/integration/metrics-endpoint.test.ts',
  'test/integration/ves-docker-e2e.test.ts',
  'test/e2e/demo.test.ts',
  'test/e2e/dashboard.test.ts',
  'test/e2e/cli-alarms.test.ts',
];
const DOCKER_WORKER_FILES = [
  'test/integration/worker-recovery.test.ts',
  'test/integration/chaos-workers.test.ts',
  'test/integration/reconcile-docker.test.ts',
  'test/integration/engine-fault.test.ts',
];
// The real OpenStack is slow and shared: its files run one after another too.
const OPENSTACK_FILES = ['test/integration/openstack-*.test.ts'];

// Vitest runs its pools side by side, but inside one pool it runs the parallel files first
// and then each single-worker project after the other. So: the forks pool runs unit and
// integration (two at a time), then the short docker-workers lane; the threads pool runs
// the Docker lane and then OpenStack (one file at a time), beside the forks pool from the
// start. Their files start child processes and talk HTTP (no process.chdir/exit), which a
// worker thread allows; process.env writes stay in the thread. (The vmForks pool, tried for
// a third lane, breaks Fastify and instanceof checks across VM contexts.)
const slowBeside = { testTimeout: 300_000, hookTimeout: 300_000, pool: 'threads' as const, poolOptions: { threads: { singleThread: true } } };
const slowAfter = { testTimeout: 300_000, hookTimeout: 300_000, pool: 'forks' as const, poolOptions: { forks: { singleFork: true } } };

export default defineConfig({
  test: {
    reporters: ['default'],
    // Vitest's default on 2 cores is one fork (cores - 1): unit and integration files one
    // at a time. They are built to run side by side (own schema per file, ports from 0, no
    // Docker resources; memory VIMs), and mostly wait on I/O and child processes: two at once.
    poolOptions: { forks: { maxForks: 2 } },
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          exclude: [...DOCKER_FILES, ...DOCKER_WORKER_FILES, ...OPENSTACK_FILES],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
      { test: { name: 'docker', include: DOCKER_FILES, ...slowBeside } },
      { test: { name: 'docker-workers', include: DOCKER_WORKER_FILES, ...slowAfter } },
      { test: { name: 'openstack', include: OPENSTACK_FILES, ...slowBeside } },
    ],
  },
});
