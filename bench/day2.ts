/**
 * Day-2 on the real Docker engine: auto-heal and scale-out of the 10-VNF chain (issue #16). Rondo runs
 * as `rondo serve --role all` does (worker, watchers, policy engine, VDU probes) on PGlite
 * with one Docker PoP. The relay VNFD declares a Tacker-style ping probe (interval 1 s,
 * `failure: respawn`), so the policy comes from the descriptor. Each round `docker kill`s
 * the middle VNF and measures, from the kill: the policy firing (a HEAL op with
 * isAutomaticInvocation), the op completing, and traffic passing again (ping from the
 * ingress SAP to the egress SAP, tried every 100 ms). The policy's backoff is set to 0 so
 * rounds follow each other.
 *
 * Scale: each round scales the middle VNF out by one instance (POST .../scale → the SCALE
 * op COMPLETED: container, its routes and start command, the previous hop's routes spread
 * over both instances) and back in; against it, the raw Docker API doing the same work
 * by hand: create the container on the VNF's two networks, start it, exec its routes (the
 * first instance's) and its start command, exec 16 route replacements on each neighbour
 * (Rondo spreads the destination in up to 16 blocks; the previous hop's forward routes and
 * the next hop's return routes). The ratio Rondo / raw is printed (target ≤ 1.2).
 *
 *   npx tsx bench/day2.ts [rounds=5] [size=10]     (or positional: 5 10)
 * Needs Docker and the VNF images (scripts/build-vnf-images.sh).
 * Target: kill → traffic ≤ 2 s + one probe interval (1 s).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { loadConfig } from '../src/config/index.js';
import { systemClock, uuidGenerator } from '../src/model/index.js';
import type { RondoApp } from '../src/api/index.js';
import { compose } from '../src/app/index.js';
import { openStore } from '../src/store/index.js';
import type { PolicyEvent } from '../src/monitoring/index.js';
import { CHAIN_START, chainPackage } from './chain-package.js';

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
  '    scale_in_out:', '      minimum: 1', '      maximum: 2',
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
const scaleRows: { rondoOut: number; rondoIn: number; raw: number }[] = [];
const breakdown: string[] = [];
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
  // Scale out of the middle VNF by one instance, against the raw Docker API doing the same work.
  const id = nsId;
  const scale = async (scaleVnfType: 'SCALE_OUT' | 'SCALE_IN'): Promise<number> => {
    const vnfInstanceId = (await lifecycle.listVnfs(id)).find((v) => v.memberId === victim)?.id as string;
    const t0 = performance.now();
    const r = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${id}/scale`, payload: { scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId, scaleVnfType, scaleByStepData: { aspectId: 'vdu01' } }] } });
    if (r.statusCode !== 202) throw new Error(`${scaleVnfType}: ${r.body}`);
    const o = await lifecycle.waitForOp(String(r.headers.location).split('/').pop() as string, { timeoutMs: 120_000 });
    const took = performance.now() - t0;
    if (o.operationState !== 'COMPLETED') throw new Error(`${scaleVnfType} ${o.operationState}: ${o.error?.detail}`);
    if (scaleVnfType === 'SCALE_OUT') {
      // Where the time went: before the first step, each step, after the last.
      const steps = (await lifecycle.listSteps(o.id)).filter((x) => x.startedAt && x.endedAt);
      const start = Math.min(...steps.map((x) => Date.parse(x.startedAt as string)));
      const end = Math.max(...steps.map((x) => Date.parse(x.endedAt as string)));
      const began = Date.parse(o.startTime);
      breakdown.push(`queued+planned ${start - began} ms, steps ${end - start} ms (${steps.map((x) => `${x.kind} ${x.target.split('-').slice(2).join('-')} ${Date.parse(x.endedAt as string) - Date.parse(x.startedAt as string)}`).join(', ')}), completed after ${Date.parse(o.statusEnteredTime) - end} ms`);
    }
    return took;
  };
  const exec = async (container: string, cmd: string[]): Promise<void> => {
    const e = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const st = await e.start({});
    await new Promise((r) => { st.on('end', r); st.resume(); });
    const code = (await e.inspect()).ExitCode;
    if (code !== 0) throw new Error(`${cmd.join(' ')} exited ${code}`);
  };
  const output = async (container: string, cmd: string[]): Promise<string> => {
    const e = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const st = await e.start({});
    const chunks: Buffer[] = [];
    const sink = new Writable({ write: (b: Buffer, _e, done) => (chunks.push(b), done()) });
    docker.modem.demuxStream(st, sink, sink); // an attached exec multiplexes stdout and stderr
    await new Promise((r) => st.on('end', r));
    return Buffer.concat(chunks).toString('utf8');
  };
  // What Rondo's scale-out does for the middle VNF, by hand: the container on the VNF's networks,
  // its routes (those the first instance has), its start command, and both neighbours' routes
  // towards it (the previous hop's forward, the next hop's return; 16 blocks each).
  const rawScaleOut = async (): Promise<number> => {
    const members = await lifecycle.listVnfs(id);
    const k = Math.floor(size / 2);
    const vm = members.find((v) => v.memberId === victim)?.computeIds[0] as string;
    const prev = members.find((v) => v.memberId === `v${k - 1}`)?.computeIds[0] as string;
    const next = members.find((v) => v.memberId === `v${k + 1}`)?.computeIds[0] as string;
    const info = await docker.getContainer(vm).inspect();
    const own = (await output(vm, ['ip', 'route', 'show'])).split('\n').filter((l) => l.includes(' via ') && !l.startsWith('default')).map((l) => `ip route replace ${l.trim()}`);
    const [first, ...others] = Object.keys(info.NetworkSettings.Networks);
    const t0 = performance.now();
    const created = await docker.createContainer({
      Image: info.Config.Image, Cmd: info.Config.Cmd, Env: info.Config.Env, name: `raw-bench-${uuidGenerator.next().slice(0, 8)}`,
      HostConfig: { CapAdd: info.HostConfig.CapAdd ?? [], NetworkMode: first, Memory: info.HostConfig.Memory ?? 0, NanoCpus: info.HostConfig.NanoCpus ?? 0 },
      Labels: { 'rondo.ns': id },
    });
    for (const n of others) await docker.getNetwork(n).connect({ Container: created.id });
    await created.start();
    const addr = Object.values((await created.inspect()).NetworkSettings.Networks).map((n) => n.IPAddress);
    if (own.length > 0) await exec(created.id, ['sh', '-c', own.join(' && ')]);
    await exec(created.id, ['sh', '-c', CHAIN_START]);
    const blocks = (hop: number, via: string) => Array.from({ length: 16 }, (_, j) => `ip route replace 198.18.${hop}.${j}/32 via ${via}`).join(' && ');
    await exec(prev, ['sh', '-c', blocks(0, addr[0] as string)]);
    await exec(next, ['sh', '-c', blocks(1, addr[addr.length - 1] as string)]);
    const took = performance.now() - t0;
    await created.remove({ force: true });
    for (const [c, hop] of [[prev, 0], [next, 1]] as const) await exec(c, ['sh', '-c', Array.from({ length: 16 }, (_, j) => `ip route del 198.18.${hop}.${j}/32`).join(' ; ')]).catch(() => undefined);
    return took;
  };
  for (let r = 1; r <= rounds; r++) {
    const rondoOut = await scale('SCALE_OUT');
    const rondoIn = await scale('SCALE_IN');
    scaleRows.push({ rondoOut, rondoIn, raw: await rawScaleOut() });
  }
  const t = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/terminate`, payload: {} });
  await lifecycle.waitForOp(String(t.headers.location).split('/').pop() as string, { timeoutMs: 600_000 });
} catch (e) {
  console.error('bench/day2.ts failed:', e);
  process.exitCode = 1;
} finally {
  // Monitoring stops first: its auto-heal would re-create the containers removed below.
  await c.close();
  if (nsId) {
    const filters = { label: [`rondo.ns=${nsId}`] };
    for (const x of await docker.listContainers({ all: true, filters })) await docker.getContainer(x.Id).remove({ force: true });
    for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch((e: unknown) => console.error(`leftover network ${n.Name}:`, e));
  }
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
console.log(`\nAuto-heal on Docker, ${size}-VNF chain: seconds from docker kill of the middle VNF (${availableParallelism()} cores, load ${loadavg()[0]?.toFixed(2)})\n`);
console.log('| round | VNF    | fired  | healed | traffic | op state  | auto  |');
console.log('|-------|--------|--------|--------|---------|-----------|-------|');
for (const r of rows) console.log(r);
console.log(`\ntarget: traffic ≤ ${2 + PROBE_INTERVAL_S} s (2 s + one probe interval of ${PROBE_INTERVAL_S} s)`);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
console.log(`\nScale out of the middle VNF by one instance, ${size}-VNF chain: seconds (the raw Docker API doing the same container, exec and routes is the baseline)\n`);
console.log('| round | Rondo out | raw out | ratio | Rondo in |');
console.log('|-------|-----------|---------|-------|----------|');
scaleRows.forEach((x, i) => console.log(`| ${String(i + 1).padStart(5)} | ${s(x.rondoOut).padStart(9)} | ${s(x.raw).padStart(7)} | ${(x.rondoOut / x.raw).toFixed(2).padStart(5)} | ${s(x.rondoIn).padStart(8)} |`));
const mo = median(scaleRows.map((x) => x.rondoOut));
const mr = median(scaleRows.map((x) => x.raw));
console.log(`| median | ${s(mo).padStart(8)} | ${s(mr).padStart(7)} | ${(mo / mr).toFixed(2).padStart(5)} | ${s(median(scaleRows.map((x) => x.rondoIn))).padStart(8)} |`);
console.log('\ntarget: ratio ≤ 1.2\n\nRondo scale out, per round:');
for (const b of breakdown) console.log(`  ${b}`);
