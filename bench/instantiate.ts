/**
 * Instantiation and termination on the real Docker engine: Rondo (API → worker → Docker
 * driver, PGlite store; routes and start commands included) against the raw Docker Engine
 * API (dockerode) doing the same work with the best schedule it can: networks one after
 * another, containers and their execs 6 at a time, same images, limits and interfaces.
 * Chains of 1, 3, 10 and 50 VNFs (a one-VNF NS shows the fixed cost plainly), then Rondo's own
 * overhead on the memory VIM for 1000 VNFs (bench/lifecycle-memory.ts).
 *
 * Honest figures: after one warm-up round per size (image cache, engine), the raw twin and
 * Rondo run alternately, `rounds` times each (the order flips every round so a drifting
 * machine favours neither), and the table gives medians. The load average is printed at
 * the start and end of each size; when it is above the number of cores, the ratio is
 * withheld: a loaded engine stretches container starts and hides Rondo's own costs.
 *
 *   npx tsx bench/instantiate.ts [sizes=1,3,10,50] [rounds=5]
 * Needs Docker and the VNF images (scripts/build-vnf-images.sh). Targets (issue #14):
 * instantiate ≤ 1.5 (1 VNF), ≤ 1.10 (10 VNFs), ≤ 1.05 (50 VNFs); terminate ≤ 1.10.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { loadConfig } from '../src/config/index.js';
import { systemClock, uuidGenerator } from '../src/model/index.js';
import type { RondoApp } from '../src/api/index.js';
import { compose } from '../src/app/index.js';
import { CHAIN_START, chainPackage } from './chain-package.js';
import { openStore } from '../src/store/index.js';
import { cpuCfs } from '../src/vim/docker/docker-compute-spec.js';
import { SAP_COMMAND, SAP_IMAGE } from '../src/lifecycle/index.js';
import type { TraceEvent } from '../src/lifecycle/index.js';

const run = promisify(execFile);
const docker = new Docker();
const sizes = (process.argv[2] ?? '1,3,10,50').split(',').map(Number);
const rounds = Number(process.argv[3] ?? 5);
const CORES = availableParallelism();
const CONCURRENCY = 6;

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

/** The same chain with dockerode only: returns instantiate and terminate times (ms). */
async function rawDocker(n: number, base: number): Promise<{ up: number; down: number }> {
  const tag = `rondo-raw-${process.pid}-${n}-${Math.floor(performance.now())}`;
  const labels = { 'rondo.ns': tag };
  // 10.100.0.0/14 as /29s: clear of Rondo's pools (10.10, 10.20, 10.30).
  const subnet = (i: number) => `10.${100 + Math.floor((base + i) / 32)}.${((base + i) % 32) * 8}.0/29`;
  const addr = (i: number, h: number) => `10.${100 + Math.floor((base + i) / 32)}.${((base + i) % 32) * 8}.${h}`;
  const nets = Array.from({ length: n + 1 }, (_, i) => ({ name: `${tag}-l${i}`, subnet: subnet(i), gw: addr(i, 1) }));
  const cfs = cpuCfs(0.1);
  // Compute k sits on links k and k+1 (.2 on its input side is the previous hop, .3 its own).
  const computes = [
    { name: `${tag}-in`, image: SAP_IMAGE, cmd: [...SAP_COMMAND], mem: 32, ifs: [[0, 2]] },
    ...Array.from({ length: n }, (_, k) => ({ name: `${tag}-v${k}`, image: 'vnf/busybox:latest', cmd: undefined, mem: 32, ifs: [[k, 3], [k + 1, 2]] })),
    { name: `${tag}-out`, image: SAP_IMAGE, cmd: [...SAP_COMMAND], mem: 32, ifs: [[n, 3]] },
  ] as { name: string; image: string; cmd?: string[]; mem: number; ifs: [number, number][] }[];
  const t0 = performance.now();
  for (const net of nets) {
    await docker.createNetwork({ Name: net.name, Driver: 'bridge', Labels: labels, IPAM: { Driver: 'default', Config: [{ Subnet: net.subnet, Gateway: net.gw }] } });
  }
  await pool(computes, CONCURRENCY, async (c) => {
    const [first, ...rest] = c.ifs;
    const f = first as [number, number];
    const ctr = await docker.createContainer({
      name: c.name, Image: c.image, ...(c.cmd ? { Cmd: c.cmd } : {}), Labels: labels,
      HostConfig: { ...(cfs ?? {}), Memory: c.mem * 1024 * 1024, CapAdd: ['NET_ADMIN'], Sysctls: { 'net.ipv4.ip_forward': '1' }, Init: true, NetworkMode: nets[f[0]]?.name },
      NetworkingConfig: { EndpointsConfig: { [nets[f[0]]?.name as string]: { IPAMConfig: { IPv4Address: addr(f[0], f[1]) } } } },
    });
    for (const [li, h] of rest) await docker.getNetwork(nets[li]?.name as string).connect({ Container: ctr.id, EndpointConfig: { IPAMConfig: { IPv4Address: addr(li, h) } } });
    await ctr.start();
  });
  // Chain routes (one per direction) and start commands, as Rondo runs them.
  const exec = async (name: string, cmd: string[]) => {
    const e = await docker.getContainer(name).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const s = await e.start({});
    await new Promise((r) => { s.on('end', r); s.resume(); });
  };
  const last = subnet(n);
  const firstNet = subnet(0);
  await pool(computes, CONCURRENCY, async (c) => {
    // Compute k: forward via the next hop on link k (.3), back via the previous one on link k-1 (.2).
    const k = computes.indexOf(c);
    const fwd = k <= n ? ['ip', 'route', 'replace', last, 'via', addr(k, 3)] : null;
    const back = k >= 1 ? ['ip', 'route', 'replace', firstNet, 'via', addr(k - 1, 2)] : null;
    for (const cmd of [fwd, back]) if (cmd) await exec(c.name, cmd);
    if (c.image !== SAP_IMAGE) await exec(c.name, ['sh', '-c', `nohup sh -c '${CHAIN_START}' >/tmp/rondo-start.log 2>&1 &`]);
  });
  const up = performance.now() - t0;
  const t1 = performance.now();
  await pool(computes, CONCURRENCY, async (c) => docker.getContainer(c.name).remove({ force: true }));
  for (const net of nets) await docker.getNetwork(net.name).remove();
  return { up, down: performance.now() - t1 };
}

/** Rondo through its API on PGlite with one Docker PoP: instantiate and terminate times (ms). */
async function rondo(n: number, pkg: string, timeline?: string[]): Promise<{ up: number; down: number; state: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-bench-'));
  // The bench measures orchestration, not authentication: auth off (this app binds nowhere).
  const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir, logLevel: 'silent', stepDeadlineSeconds: 300, opDeadlineSeconds: 1800, workerConcurrency: 2 });
  const store = await openStore({ kind: 'pglite', dataDir: null });
  // The first instantiation's marks (debug trace), when asked for: phases, not single steps.
  let first: string | undefined;
  let t0 = 0;
  const trace = (e: TraceEvent, at: number): void => {
    if (!timeline || e.what === 'step') return;
    if (first === undefined) {
      first = e.opId;
      t0 = at;
    }
    if (e.opId === first) timeline.push(`${(at - t0).toFixed(1).padStart(8)} ms  ${e.what} ${e.edge}${e.detail ? ` (${e.detail})` : ''}`);
  };
  const c = await compose({ config, store, clock: systemClock, ids: uuidGenerator, trace });
  const app = c.app as RondoApp;
  const services = c.services;
  c.worker.start();
  try {
    await app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'dc1', type: 'docker', endpoint: 'unix:///var/run/docker.sock' } });
    const nsdId = (await app.inject({ method: 'POST', url: '/packages', payload: await readFile(pkg), headers: { 'content-type': 'application/octet-stream' } })).json().service_uuid;
    const nsId = (await app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName: `bench-${n}` } })).json().id;
    const op = async (url: string, payload: object) => {
      const t = performance.now();
      const r = await app.inject({ method: 'POST', url, payload });
      const opId = String(r.headers.location).split('/').pop() as string;
      const done = await services.lifecycle.waitForOp(opId, { timeoutMs: 1_800_000 });
      return { ms: performance.now() - t, state: done.operationState, error: done.error };
    };
    const up = await op(`/nslcm/v1/ns_instances/${nsId}/instantiate`, { additionalParamsForNs: { placement: 'first-pop' } });
    timeline?.push(`${up.ms.toFixed(1).padStart(8)} ms  instantiate answered COMPLETED to the client (from POST)`);
    if (up.state !== 'COMPLETED') throw new Error(`Rondo instantiation ${up.state}: ${up.error?.detail}`);
    const down = await op(`/nslcm/v1/ns_instances/${nsId}/terminate`, {});
    return { up: up.ms, down: down.ms, state: down.state };
  } finally {
    await c.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The median of some numbers. */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Instantiate target by size: the fixed cost weighs most on small NSs. */
const upTarget = (n: number): number => (n <= 1 ? 1.5 : n >= 50 ? 1.05 : 1.1);

await docker.ping();
await run('bash', ['scripts/build-vnf-images.sh']);
const dir = await mkdtemp(join(tmpdir(), 'rondo-bench-pkg-'));
const rows: string[] = [];
/** One 10-VNF instantiation's phases (debug trace), printed beside the raw twin. */
const timeline: string[] = [];
let rawTen: number | undefined;
const fmt = (ms: number) => (ms / 1000).toFixed(2).padStart(8);
const load = () => loadavg()[0] ?? 0;
const ratio = (a: number, b: number, busy: boolean) => (busy ? '  n/a' : (a / b).toFixed(2).padStart(5));
let withheld = false;
try {
  for (const n of sizes) {
    const pkg = await chainPackage(dir, n);
    // Warm-up round, discarded.
    await rawDocker(n, 0);
    await rondo(n, pkg);
    const loadBefore = load();
    const raw: { up: number; down: number }[] = [];
    const ron: { up: number; down: number }[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        raw.push(await rawDocker(n, 0));
        ron.push(await rondo(n, pkg, n === 10 && i === 0 ? timeline : undefined));
      } else {
        ron.push(await rondo(n, pkg));
        raw.push(await rawDocker(n, 0));
      }
    }
    const loadAfter = load();
    if (n === 10) rawTen = raw[0]?.up;
    const busy = Math.max(loadBefore, loadAfter) > CORES;
    withheld ||= busy;
    const m = { rawUp: median(raw.map((r) => r.up)), rawDown: median(raw.map((r) => r.down)), up: median(ron.map((r) => r.up)), down: median(ron.map((r) => r.down)) };
    const la = `${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`.padEnd(12);
    rows.push(`| ${String(n).padStart(4)} VNFs | instantiate | ${fmt(m.rawUp)} | ${fmt(m.up)}  | ${ratio(m.up, m.rawUp, busy)} | ≤ ${upTarget(n).toFixed(2)} | ${la} |`);
    rows.push(`| ${String(n).padStart(4)} VNFs | terminate   | ${fmt(m.rawDown)} | ${fmt(m.down)}  | ${ratio(m.down, m.rawDown, busy)} | ≤ 1.10 | ${la} |`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(`\nRondo vs raw Docker Engine API (seconds; medians of ${rounds} alternating rounds after a warm-up; concurrency 6; ${CORES} cores)\n`);
console.log('| size      | operation   | raw (s)  | rondo (s) | ratio | target | load avg     |');
console.log('|-----------|-------------|----------|-----------|-------|--------|--------------|');
for (const r of rows) console.log(r);
if (timeline.length > 0) {
  console.log(`\nTimeline of one 10-VNF instantiation through the API (first round; the raw twin of that round took ${((rawTen ?? 0) / 1000).toFixed(2)} s):\n`);
  for (const l of timeline) console.log(l);
}
if (withheld) console.log(`\nn/a: the 1-minute load average was above ${CORES} (the number of cores) during that size; run again on a quiet machine.`);
console.log('\nRondo overhead on the memory VIM (bench/lifecycle-memory.ts 1000):');
const mem = await run(process.execPath, ['--import', 'tsx', 'bench/lifecycle-memory.ts', '1000'], { env: { ...process.env, DATABASE_URL: '' }, maxBuffer: 1 << 20 });
console.log(mem.stdout);
