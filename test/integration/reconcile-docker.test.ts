import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildApp } from '../../src/api/app.js';
import type { RondoApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { reconcileRoutes } from '../../src/api/admin/reconcile-routes.js';
import { INSECURE_MODE_PLUGIN } from '../../src/api/http/auth-route-plugins.js';
import { registerReconcileCommands } from '../../src/cli/reconcile-commands.js';
import { loadConfig } from '../../src/config/index.js';
import { subnetAt } from '../../src/ipam/index.js';
import { Reconciler, SAP_COMMAND } from '../../src/lifecycle/index.js';
import type { ReconcileReport } from '../../src/lifecycle/index.js';
import type { VnfInstance } from '../../src/model/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import { SqlVimAccountRepository } from '../../src/store/index.js';
import { dockerAccount } from '../support/worker-process.js';
import { openWorkerRuntime, waitFor } from '../support/worker-runtime.js';
import type { WorkerRuntime } from '../support/worker-runtime.js';

const POP = `rcl${process.pid}`;
const pid = process.pid;

describe('reconciliation against real Docker and PostgreSQL', () => {
  let rt: WorkerRuntime;
  let app: RondoApp;
  const vanishedEvents: VnfInstance[] = [];
  let reconciler: Reconciler;
  beforeAll(async () => {
    rt = await openWorkerRuntime('reconcile-docker.test.ts', [dockerAccount(POP)], { reserveSapSubnets: 3000 });
    reconciler = new Reconciler({
      repo: rt.reconcileRepo, drivers: rt.registry, clock: systemClock, refresh: () => rt.registry.refresh(), onVanished: (v) => void vanishedEvents.push(v),
    });
    const deps = {
      config: loadConfig({}, { logLevel: 'silent' }), store: rt.store, logger: pino({ level: 'silent' }), clock: systemClock, ids: uuidGenerator,
      services: { reconciler },
    } as unknown as AppDeps;
    app = await buildApp(deps, { plugins: [INSECURE_MODE_PLUGIN, { name: 'reconcile', plugin: reconcileRoutes }] });
  });
  afterAll(async () => {
    await app?.close();
    await reconciler?.stop();
    await rt?.close();
  });

  it('reports orphans and vanished computes (dry run changes nothing), removes and marks them, never touches an NS with an open operation', async () => {
    const driver = rt.registry.get(POP);
    let worker = rt.startWorker('rc-worker');
    // A: instantiated, then one of its containers disappears behind Rondo's back.
    const a = await rt.service.createNs({ nsdId: 'sap-pairs-1', nsName: 'a' });
    const aOp = await rt.service.instantiate(a.id);
    expect((await rt.waitOp(aOp.id, 60_000)).operationState).toBe('COMPLETED');
    const aVnfs = await rt.service.listVnfs(a.id);
    const victim = aVnfs.find((v) => v.memberId === 's1') as VnfInstance;
    await worker.stop();

    // Ghost: labelled with an NS id no record has.
    const ghost = `ghost-${pid}`;
    const sap = (name: string, network: string, address: string, ns: string) =>
      driver.createCompute({ name, image: 'vnf/sap:latest', vcpus: 1, memoryMiB: 32, interfaces: [{ network, address }], env: {}, labels: { 'rondo.ns': ns, 'rondo.step': 'manual' }, command: [...SAP_COMMAND] });
    const ghostNet = await driver.createNetwork({ name: `rondo-ghost-${pid}`, subnet: subnetAt('sap', 2995), labels: { 'rondo.ns': ghost, 'rondo.step': 'manual' } });
    await sap(`rondo-ghost-${pid}-c`, ghostNet.name, ghostNet.subnet.replace(/\.\d+\/29$/, (m) => `.${Number(m.slice(1, -3)) + 2}`), ghost);
    // B: a NOT_INSTANTIATED NS with no operation, holding leftovers.
    const b = await rt.service.createNs({ nsdId: 'sap-pairs-1', nsName: 'b' });
    const bNet = await driver.createNetwork({ name: `rondo-left-${pid}`, subnet: subnetAt('sap', 2996), labels: { 'rondo.ns': b.id, 'rondo.step': 'manual' } });
    await sap(`rondo-left-${pid}-c`, bNet.name, bNet.subnet.replace(/\.\d+\/29$/, (m) => `.${Number(m.slice(1, -3)) + 2}`), b.id);
    // C: NOT_INSTANTIATED but its instantiate is open (no worker runs it): hands off.
    const c = await rt.service.createNs({ nsdId: 'sap-pairs-1', nsName: 'c' });
    const cOp = await rt.service.instantiate(c.id);
    await driver.createNetwork({ name: `rondo-busy-${pid}`, subnet: subnetAt('sap', 2997), labels: { 'rondo.ns': c.id, 'rondo.step': 'manual' } });
    await driver.deleteCompute(victim.computeIds[0] as string);

    const dry = await app.inject({ method: 'POST', url: '/admin/v1/reconcile?dry_run=true' });
    expect(dry.statusCode).toBe(200);
    const report = dry.json<ReconcileReport>();
    expect(report).toMatchObject({ dryRun: true, removed: 0, errors: [] });
    expect(report.orphans.map((o) => [o.kind, o.name, o.ns, o.reason]).sort()).toEqual([
      ['compute', `rondo-ghost-${pid}-c`, ghost, 'NS_UNKNOWN'], ['compute', `rondo-left-${pid}-c`, b.id, 'NS_NOT_INSTANTIATED'],
      ['network', `rondo-ghost-${pid}`, ghost, 'NS_UNKNOWN'], ['network', `rondo-left-${pid}`, b.id, 'NS_NOT_INSTANTIATED'],
    ].sort());
    expect(report.orphans.every((o) => o.pop === POP)).toBe(true);
    expect(report.vanished).toEqual([{ nsInstanceId: a.id, vnfInstanceId: victim.id, memberId: 's1', popId: POP, missingComputeIds: victim.computeIds }]);
    expect((await driver.listByLabel({ 'rondo.ns': ghost })).length).toBe(2);
    expect((await rt.service.listVnfs(a.id)).find((v) => v.id === victim.id)?.state).toBe('STARTED');
    expect(vanishedEvents).toEqual([]);

    // The CLI command against the real plugin on a listening server.
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const lines: string[] = [];
    const program = new Command('rondo').option('--url <url>').option('--json').exitOverride();
    registerReconcileCommands(program, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    await program.parseAsync(['--url', url, 'reconcile', '--json'], { from: 'user' });
    const real = JSON.parse(lines.join('\n')) as ReconcileReport;
    expect(real).toMatchObject({ dryRun: false, removed: 4, errors: [] });
    expect(real.vanished.map((v) => v.vnfInstanceId)).toEqual([victim.id]);
    expect(await driver.listByLabel({ 'rondo.ns': ghost })).toEqual([]);
    expect(await driver.listByLabel({ 'rondo.ns': b.id })).toEqual([]);
    expect((await driver.listByLabel({ 'rondo.ns': c.id })).map((r) => r.name)).toEqual([`rondo-busy-${pid}`]);
    expect(vanishedEvents.map((v) => [v.id, v.state])).toEqual([[victim.id, 'FAILED']]);
    expect((await rt.service.listVnfs(a.id)).map((v) => [v.memberId, v.state])).toEqual([['s0', 'STARTED'], ['s1', 'FAILED']]);

    // Idempotent: nothing new on the next pass, no second event.
    const again = await reconciler.runOnce();
    expect(again).toMatchObject({ orphans: [], removed: 0, vanished: [], errors: [] });
    expect(vanishedEvents).toHaveLength(1);

    // C goes on once a worker runs; terminations sweep everything labelled with the NS.
    worker = rt.startWorker('rc-worker-2');
    expect((await rt.waitOp(cOp.id, 60_000)).operationState).toBe('COMPLETED');
    for (const ns of [a, c]) {
      const t = await rt.service.terminate(ns.id);
      expect((await rt.waitOp(t.id, 60_000)).operationState).toBe('COMPLETED');
    }
    await worker.stop();
    const final = await reconciler.runOnce({ dryRun: true });
    expect(final).toMatchObject({ orphans: [], vanished: [], errors: [] });
    expect(await driver.listByLabel({})).toEqual([]);
  });

  it('runs on start and then periodically; a PoP that cannot be listed is reported, not judged', async () => {
    const accounts = new SqlVimAccountRepository(rt.store.db);
    await accounts.insert(dockerAccount(`down${pid}`, 'tcp://127.0.0.1:1'));
    const reports: ReconcileReport[] = [];
    const periodic = new Reconciler({ repo: rt.reconcileRepo, drivers: rt.registry, clock: systemClock, refresh: () => rt.registry.refresh(), intervalMs: 200, onReport: (r) => void reports.push(r) });
    periodic.start();
    await waitFor('two periodic passes', 20_000, async () => reports.length >= 2);
    await periodic.stop();
    expect(reports[0]?.errors).toEqual([expect.objectContaining({ pop: `down${pid}`, code: 'VIM_CONNECTION' })]);
    expect(reports[0]).toMatchObject({ orphans: [], removed: 0, vanished: [] });
    await accounts.delete(`down${pid}`);
    await rt.registry.refresh();
  });
});
