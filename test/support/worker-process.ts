import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Nsd, Vnfd, VirtualLink, VimAccount } from '../../src/model/index.js';
import { NotFoundError } from '../../src/model/index.js';
import type { DescriptorSource } from '../../src/lifecycle/index.js';

/** Small NSDs the worker child processes know by id: SAP pairs (the SAP image keeps running on Docker). */
export function sapPairs(pairs: number): { nsd: Nsd; vnfds: Record<string, Vnfd> } {
  const saps = Array.from({ length: pairs * 2 }, (_, i) => ({ id: `s${i}`, type: 'external' as const }));
  const links: VirtualLink[] = Array.from({ length: pairs }, (_, i) => ({
    id: `p${i}`, type: 'E-Line', management: false, cpRefs: [{ kind: 'sap', sap: `s${2 * i}` }, { kind: 'sap', sap: `s${2 * i + 1}` }],
  }));
  return {
    nsd: {
      descriptorId: `rondo.test.sap-pairs-${pairs}`, ref: { vendor: 'rondo.test', name: `sap-pairs-${pairs}`, version: '1' }, format: 'tango',
      vnfs: [], saps, virtualLinks: links, forwardingGraphs: [], source: {},
    },
    vnfds: {},
  };
}

/**
 * `sap-relay`: SAP `in` → VNF `relay` → SAP `out`, with a forwarding path through the
 * relay (the SAPs get routes via it). The relay is scalable (5GTANGO style: aspect `vdu01`,
 * up to 3 instances) and has a start command (`touch /tmp/started`) and a stop command
 * (its `rm`), so SCALE and OPERATE_VNF have routes and commands to run. Both links have a
 * SAP endpoint: they draw from the SAP pool only, like the SAP pairs.
 */
export function sapRelay(): { nsd: Nsd; vnfds: Record<string, Vnfd> } {
  const ref = { vendor: 'rondo.test', name: 'relay', version: '1' };
  const relay: Vnfd = {
    descriptorId: 'rondo.test.relay.1', ref, format: 'tango',
    vdus: [{
      id: 'vdu01', image: 'vnf/busybox:latest', imageFormat: 'docker', vcpus: 1, memoryMiB: 64, maxInstances: 3,
      connectionPoints: [{ id: 'input', type: 'internal' }, { id: 'output', type: 'internal' }],
    }],
    connectionPoints: [{ id: 'input', type: 'external', vdu: 'vdu01', vduCp: 'input' }, { id: 'output', type: 'external', vdu: 'vdu01', vduCp: 'output' }],
    monitoringParameters: [], scalingAspects: [], startCommands: ['touch /tmp/started'], stopCommands: ['rm -f /tmp/started'], source: {},
  };
  const vnf = (cp: string) => ({ kind: 'vnf' as const, vnfId: 'relay', cp });
  const sap = (id: string) => ({ kind: 'sap' as const, sap: id });
  return {
    nsd: {
      descriptorId: 'rondo.test.sap-relay', ref: { vendor: 'rondo.test', name: 'sap-relay', version: '1' }, format: 'tango',
      vnfs: [{ vnfId: 'relay', vnfd: ref }], saps: [{ id: 'in', type: 'external' }, { id: 'out', type: 'external' }],
      virtualLinks: [
        { id: 'l0', type: 'E-Line', management: false, cpRefs: [sap('in'), vnf('input')] },
        { id: 'l1', type: 'E-Line', management: false, cpRefs: [vnf('output'), sap('out')] },
      ],
      forwardingGraphs: [{ id: 'fg', paths: [{ id: 'p', hops: [sap('in'), vnf('input'), vnf('output'), sap('out')] }] }],
      source: {},
    },
    vnfds: { relay },
  };
}

/** A fixed master key for test workers: no key file is written, and every process opens the same sealed credentials. */
export const WORKER_TEST_KEY = Buffer.alloc(32, 7).toString('base64');

/**
 * NSD id → descriptors (`sap-pairs-<n>`, `sap-relay`), with the NotFoundError class of the code that
 * reads them: the worker child runs the built Rondo (dist/), whose class is not this one.
 */
export function workerDescriptorsWith(notFound: typeof NotFoundError): DescriptorSource {
  const of = (id: string): { nsd: Nsd; vnfds: Record<string, Vnfd> } => {
    if (id === 'sap-relay') return sapRelay();
    const m = /^sap-pairs-(\d+)$/.exec(id);
    if (!m) throw new notFound('NSD', id);
    return sapPairs(Number(m[1]));
  };
  return {
    async getNsd(id) {
      return of(id).nsd;
    },
    async getVnfds(id) {
      return of(id).vnfds;
    },
  };
}

/** NSD id → descriptors, shared by the tests and the worker child (`sap-pairs-<n>`, `sap-relay`). */
export const workerDescriptors: DescriptorSource = workerDescriptorsWith(NotFoundError);

/** A Docker PoP account unique to one test file, so its reconciler never sees another file's resources. */
export function dockerAccount(id: string, endpoint = 'unix:///var/run/docker.sock', config: Record<string, unknown> = {}): VimAccount {
  return { id, name: id, type: 'docker', endpoint, capacity: { cpu: 64, memoryMiB: 65_536 }, config, tenant: 'default', createdAt: new Date().toISOString() };
}

/** Options of a worker child process. */
export interface WorkerProcessOptions {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly owner: string;
  readonly leaseSeconds: number;
  readonly concurrency?: number;
  readonly computeConcurrency?: number;
  readonly stepDeadlineSeconds?: number;
  readonly pollIntervalMs?: number;
  /** A crash plan (`RONDO_CRASH_POINTS`, e.g. `after-step-done:3`): the worker SIGKILLs itself there. */
  readonly crashPoints?: string;
  /** Descriptors from the test NSDs of {@link workerDescriptors} (default) or, as `rondo serve` reads them, from the catalog in the store. */
  readonly descriptors?: 'test' | 'catalog';
  /** More environment (the config's own variables, e.g. RONDO_AMQP_URL). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A running worker child. */
export interface WorkerProcess {
  readonly pid: number;
  readonly owner: string;
  /** Everything it printed (one JSON line per op change). */
  output(): string;
  /** `kill -9`: no lease release, no cleanup; resolves when it is gone. */
  crash(): Promise<void>;
  /** SIGTERM: the worker stops and releases its leases; resolves when it is gone. */
  stop(): Promise<void>;
  /** Resolves with the exit signal or code once the process is gone and all it printed read, whoever ended it. */
  readonly exited: Promise<string>;
}

const MAIN = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

/**
 * Starts `test/support/worker-main.ts` as a child process (node with the tsx loader
 * directly, not `npx tsx`, so `kill -9` hits the worker itself rather than a wrapper that
 * would leave it running; the worker runs the built Rondo, so `npm run build` first) and resolves once it has claimed nothing yet but is ready.
 * Rejects with its output when it dies or is not ready within 120 s (a hang guard: on a
 * loaded 2-core machine tsx alone can take tens of seconds to load the worker).
 */
export async function startWorkerProcess(o: WorkerProcessOptions): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      RONDO_TEST_DATABASE_URL: o.databaseUrl, RONDO_TEST_SCHEMA: o.schema, RONDO_WORKER_OWNER: o.owner,
      RONDO_WORKER_LEASE: String(o.leaseSeconds), RONDO_WORKER_CONCURRENCY: String(o.concurrency ?? 2),
      RONDO_WORKER_COMPUTE_CONCURRENCY: String(o.computeConcurrency ?? 8), RONDO_STEP_DEADLINE: String(o.stepDeadlineSeconds ?? 60),
      RONDO_WORKER_POLL_MS: String(o.pollIntervalMs ?? 300), RONDO_CRASH_POINTS: o.crashPoints ?? '', RONDO_TEST_DESCRIPTORS: o.descriptors ?? 'test',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // 'close', not 'exit': the process can be gone before its last output (the crash line
  // printed just before a self-SIGKILL) is read from the pipe; 'close' comes after both.
  const gone = new Promise<string>((resolve) => child.once('close', (code, signal) => resolve(String(signal ?? code))));
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`worker ${o.owner} not ready in 120 s:\n${out}`))), 120_000);
    const onData = (): void => {
      if (out.includes('"ready"')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`worker ${o.owner} exited (${code ?? signal}) before ready:\n${out}`))));
  });
  return {
    pid: child.pid as number,
    owner: o.owner,
    output: () => out,
    exited: gone,
    async crash() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

/** A seeded PRNG (mulberry32) in [0, 1): chaos schedules are reproducible from their seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
