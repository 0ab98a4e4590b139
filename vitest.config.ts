import { defineConfig } from 'vitest/config';

// Test files that create containers and networks on the one local Docker engine, in two
// lanes that run side by side, each one file at a time (singleFork). Docker refuses
// overlapping subnets on one engine, and IPAM state is per file (each file has its own
// store), so two files may only run at once when their subnets cannot meet:
// - DOCKER_FILES start a whole Rondo (or a driver with its own fixed ranges) whose IPAM
//   hands out the first subnets of every pool: one after another.
// - DOCKER_WORKER_FILES use test/support/worker-runtime.ts with the NSDs of worker-process.ts
//   only (SAP pairs, sap-relay: every link has a SAP end, so the SAP pool) from their own
//   `reserveSapSubnets` offset (1000, 2000, 3000, 4000, 5000: 1000 /29s each, above the few
//   the first lane uses); engine-fault runs its own second dockerd.
//   A new file here needs its own offset. docker-engines and inter-pop-docker need none: they make
//   networks only on engines of their own (src/vim/docker/local-engine.ts), never on the shared one.
//   Bridges of separate engines share the host's network namespace, but a chain's traffic stays on
//   its containers' own segments, so equal subnets on two engines do not meet.
//   chaos-workers also runs on two engines of its own now (its PoPs, joined by tunnels) but keeps
//   its offset (2000): its runs are long and beside the first lane, and a bridge holding a gateway
//   puts a route to its subnet in the host's namespace, which must never shadow a route of the
//   shared engine's files (host ↔ container traffic, e.g. a container reaching the host's broker).
const DOCKER_FILES = [
  'test/integration/vim-docker.test.ts',
  'test/integration/chain-docker.test.ts',
  'test/integration/day2-docker.test.ts',
  'test/integration/auto-heal-docker.test.ts',
  'test/integration/osm-docker.test.ts',
  'test/integration/ves-measurement.test.ts',
  'test/integration/metrics-endpoint.test.ts',
  'test/integration/ves-docker-e2e.test.ts',
  'test/integration/managers-docker.test.ts',
  // The demo's dc2 and this file's are one local engine (pop-dc2): one after the other.
  'test/integration/local-pops-docker.test.ts',
  'test/e2e/demo.test.ts',
  'test/e2e/dashboard.test.ts',
  'test/e2e/cli-alarms.test.ts',
];
const DOCKER_WORKER_FILES = [
  'test/integration/worker-recovery.test.ts',
  'test/integration/chaos-workers.test.ts',
  'test/integration/reconcile-docker.test.ts',
  'test/integration/engine-fault.test.ts',
  'test/integration/ipam-engine-docker.test.ts',
  'test/integration/docker-engines.test.ts',
  'test/integration/inter-pop-docker.test.ts',
];
// The real OpenStack is slow and shared: its files run one after another too.
const OPENSTACK_FILES = ['test/integration/openstack-*.test.ts'];

const slow = { testTimeout: 300_000, hookTimeout: 300_000, pool: 'forks' as const, poolOptions: { forks: { singleFork: true } } };
// Vitest runs its pools side by side, but inside the forks pool it runs the parallel files
// (unit, integration) first and then each singleFork project after the other: on 2 cores
// that is one file at a time for the whole suite. The second Docker lane and OpenStack are
// therefore in the threads pool (one file at a time, in order): they run beside the forks
// pool instead of after it. Their files start child processes and talk HTTP only (no
// process.chdir/exit), which a worker thread allows.
// On these 2 cores the suite is CPU-bound: more lanes at once only stretch every file
// (the Docker lane in the threads pool as well made vitest 907 s instead of 839 s).
const slowBeside = { testTimeout: 300_000, hookTimeout: 300_000, pool: 'threads' as const, poolOptions: { threads: { singleThread: true } } };

export default defineConfig({
  test: {
    reporters: ['default'],
    // Vitest's default on 2 cores is one fork (cores - 1): unit and integration files one
    // at a time. They are built to run side by side (own schema per file, ports from 0, no
    // Docker resources; memory VIMs), and mostly wait on I/O and child processes: two at once.
    poolOptions: { forks: { maxForks: 2 } },
    projects: [
      // Timeouts only catch hangs: the seeded fuzz and property tests do a fixed amount of work, which a loaded machine stretches.
      // Unit files share their workers' module cache (`isolate: false`): they test modules, start
      // no servers and set no process state, and each isolated file re-imported the same graph
      // (measured on a loaded machine: 109 → 98 s of CPU, 178 → 146 s wall). Integration files
      // stay isolated: for them `isolate: false` was no faster in CI (542 s against 505 s).
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'], testTimeout: 120_000, isolate: false } },
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
      { test: { name: 'docker', include: DOCKER_FILES, ...slow } },
      { test: { name: 'docker-workers', include: DOCKER_WORKER_FILES, ...slowBeside } },
      { test: { name: 'openstack', include: OPENSTACK_FILES, ...slowBeside } },
    ],
  },
});
