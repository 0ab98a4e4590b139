/**
 * Day-2 on the real Docker engine: auto-heal of the 10-VNF chain (issue #16). Rondo runs
 * as `rondo serve --role all` does (worker, watchers, policy engine, VDU probes) on PGlite
 * with one Docker PoP. The relay VNFD declares a Tacker-style ping probe (interval 1 s,
 * `failure: respawn`), so the policy comes from the descriptor. Each round `docker kill`s
 * the middle VNF and measures, from the kill: the policy firing (a HEAL op with
 * isAutomaticInvocation), the op completing, and traffic passing again (ping from the
 * ingress SAP to the egress SAP, tried every 100 ms). The policy's backoff is set to 0 so
 * rounds follow each other.
 *
 *   npx tsx bench/day2.ts [rounds=5] [size=10]     (or positional: 5 10)
 * Needs Docker and the VNF images (scripts/build-vnf-images.sh).
 * Target: kill → traffic ≤ 2 s + one probe interval (1 s).
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
import { openStore } from '../src/store/index.js';
import type { PolicyEvent } from '../src/monitoring/index.js';
import { chainPackage } from './chain-package.js';

const run = promisify(execFile);
const docker = new Docker();
/** `rounds=N size=M` or positional `N M`; anything that is not a positive integer is refused (never zero rounds silently). */
const arg = (name: string, position: number, fallback: number): number => {
  const given = process.argv.slice(2).find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? process.argv.slice(2).filter((a) => !a.includes('='))[position];
  const n = Number(given ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench/day2.ts: ${name} must be a positive integer, not ${given}`);
  return n;
};
const rounds = arg('rounds', 0, 5);
const size = arg('size', 1, 10);
const PROBE_INTERVAL_S = 1;
const PROBE = [
  '    monitoring_policy:', '      name: "ping"', '      parameters:', `        interval: ${PROBE_INTERVAL_S}`, '        timeout: 1', '        count: 3', '        monitoring_delay: 2',
  '      actions:', '        failure: "respawn"',
];

await docker.ping();
await run('bash', ['scripts/build-vnf-images.sh']);
const dir = await mkdtemp(join(tmpdir(), 'rondo-bench-day2-'));
const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir: join(dir, 'data'), logLevel: 'silent', stepDeadlineSeconds: 300, opDeadlineSeconds: 1800, workerConcurrency: 2 });
const store = await openStore({ kind: 'pglite', dataDir: null });
const c = await compose({ config, store, clock: systemClock, ids: uuidGenerator, role: 'all', workerPollMs: 250 });
const app = c.app as RondoApp;
const { lifecycle } = c.services;
const bus = c.services.monitoring.bus;
const rows: string[] = [];
let nsId: string | undefined;
const s = (ms: number) => (ms / 1000).toFixed(2).padStart(6);
try {
  await c.start({ reconciler: false });
  const pkg = await chainPackage(dir, size, PROBE);
  await app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'dc1', type: 'docker', endpoint: 'unix:///var/run/docker.sock' } });
  const up = await app.inject({ method: 'POST', url: '/packages', payload: await readFile(pkg), headers: { 'content-type': 'application/octet-stream' } });
  if (up.statusCode !== 201) throw new Error(`on-boarding: ${up.body}`);
  nsId = (await app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: up.json().service_uuid, nsName: `day2-${size}` } })).json().id as string;
  const inst = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/instantiate`, payload: { additionalParamsForNs: { placement: 'first-pop' } } });
  const done = await lifecycle.waitForOp(String(inst.headers.location).split('/').pop() as string, { timeoutMs: 600_000 });
  if (done.operationState !== 'COMPLETED') throw new Error(`instantiation ${done.operationState}: ${done.error?.detail}`);
  const victim = `v${Math.floor(size / 2)}`;
  const policy = await app.inject({ method: 'PUT', url: `/admin/v1/ns_instances/${nsId}/policies/${victim}`, payload: { backoffSeconds: 0, maxAttempts: 1000 } });
  const p = policy.json();
  if (!p.enabled) throw new Error(`the relay VNFD's monitoring_policy did not enable auto-heal: ${policy.body}`);
  const vnfs = await lifecycle.listVnfs(nsId);
  const ingress = vnfs.find((v) => v.memberId === 'in')?.computeIds[0] as string;
  const egress = vnfs.find((v) => v.memberId === 'out')?.interfaces[0]?.address as string;
  const passes = async (): Promise<boolean> => {
    const e = await docker.getContainer(ingress).exec({ Cmd: ['ping', '-c', '1', '-W', '1', egress], AttachStdout: true, AttachStderr: true });
    const st = await e.start({});
    await new Promise((r) => { st.on('end', r); st.resume(); });
    return (await e.inspect()).ExitCode === 0;
  };
  if (!(await passes())) throw new Error('the chain passes no traffic before the first kill');
  for (let r = 1; r <= rounds; r++) {
    const compute = (await lifecycle.listVnfs(nsId)).find((v) => v.memberId === victim)?.computeIds[0] as string;
    const fired = new Promise<{ e: PolicyEvent; at: number }>((resolve) => {
      const off = bus.subscribe('policy.fired', (e) => e.nsInstanceId === nsId && (off(), resolve({ e, at: performance.now() })));
    });
    const t0 = performance.now();
    await docker.getContainer(compute).kill();
    const f = await fired;
    let opDone = 0;
    const op = lifecycle.waitForOp(f.e.opId as string, { timeoutMs: 120_000 }).then((o) => ((opDone = performance.now()), o));
    while (!(await passes())) await new Promise((res) => setTimeout(res, 100));
    const traffic = performance.now() - t0;
    const o = await op;
    rows.push(`| ${String(r).padStart(5)} | ${victim.padEnd(6)} | ${s(f.at - t0)} | ${s(opDone - t0)} | ${s(traffic)} | ${o.operationState.padEnd(9)} | ${String(o.isAutomaticInvocation).padEnd(5)} |`);
    // The next round starts from a quiet NS: the heal's own events settle.
    await c.services.monitoring.policies.engine.settled();
  }
  const t = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/terminate`, payload: {} });
  await lifecycle.waitForOp(String(t.headers.location).split('/').pop() as string, { timeoutMs: 600_000 });
} finally {
  if (nsId) {
    const filters = { label: [`rondo.ns=${nsId}`] };
    for (const x of await docker.listContainers({ all: true, filters })) await docker.getContainer(x.Id).remove({ force: true });
    for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove();
  }
  await c.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
console.log(`\nAuto-heal on Docker, ${size}-VNF chain: seconds from docker kill of the middle VNF (${availableParallelism()} cores, load ${loadavg()[0]?.toFixed(2)})\n`);
console.log('| round | VNF    | fired  | healed | traffic | op state  | auto  |');
console.log('|-------|--------|--------|--------|---------|-----------|-------|');
for (const r of rows) console.log(r);
console.log(`\ntarget: traffic ≤ ${2 + PROBE_INTERVAL_S} s (2 s + one probe interval of ${PROBE_INTERVAL_S} s)`);
