import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerAccount } from '../support/worker-process.js';
import { openWorkerRuntime, waitFor } from '../support/worker-runtime.js';
import type { WorkerRuntime } from '../support/worker-runtime.js';

// Real PostgreSQL, real Docker, workers in child processes killed with SIGKILL.
const POP = `wrec${process.pid}`;

describe('worker crash recovery (child processes, PostgreSQL, Docker)', () => {
  let rt: WorkerRuntime;
  beforeAll(async () => {
    rt = await openWorkerRuntime('worker-recovery.test.ts', [dockerAccount(POP)], { reserveSapSubnets: 1000 });
  });
  afterAll(async () => rt?.close());

  it('a worker killed mid-instantiate is replaced: the op completes, no step runs twice, terminate leaves nothing', async () => {
    // One compute at a time, so the crash lands between computes.
    const first = await rt.spawnWorker('worker-a', { computeConcurrency: 1, leaseSeconds: 3 });
    const ns = await rt.service.createNs({ nsdId: 'sap-pairs-4', nsName: 'crash-me' });
    const op = await rt.service.instantiate(ns.id, { autoRollback: false });
    expect(op.operationState).toBe('PROCESSING');
    await expect(rt.service.terminate(ns.id)).rejects.toMatchObject({ status: 409 });

    const doneBefore = await waitFor('a DONE compute step', 60_000, async () => {
      const steps = await rt.repos.opSteps.listByOp(op.id);
      const done = steps.filter((s) => s.kind === 'compute' && s.state === 'DONE');
      return done.length > 0 && done.length < steps.filter((s) => s.kind === 'compute').length ? done : undefined;
    });
    await first.crash();
    const crashed = await rt.repos.opOccs.get(op.id);
    expect(crashed).toMatchObject({ operationState: 'PROCESSING', owner: 'worker-a' });

    const second = await rt.spawnWorker('worker-b', { leaseSeconds: 3 });
    const end = await rt.waitOp(op.id, 90_000);
    expect(end.operationState).toBe('COMPLETED');
    const stored = await rt.repos.opOccs.get(op.id);
    expect(stored?.attempts).toBeGreaterThanOrEqual(2);

    // Steps DONE before the crash were not re-run: same start/end time, same container.
    const steps = await rt.repos.opSteps.listByOp(op.id);
    expect(steps.every((s) => s.state === 'DONE')).toBe(true);
    for (const before of doneBefore) {
      const after = steps.find((s) => s.id === before.id);
      expect(after?.startedAt).toBe(before.startedAt);
      expect(after?.result?.['computeId']).toBe(before.result?.['computeId']);
    }
    const driver = rt.registry.get(POP);
    const onVim = await driver.listByLabel({ 'rondo.ns': ns.id });
    expect(onVim.filter((r) => r.kind === 'compute')).toHaveLength(8);
    expect(onVim.filter((r) => r.kind === 'network')).toHaveLength(4);
    const computeIds = steps.filter((s) => s.kind === 'compute').map((s) => s.result?.['computeId']);
    expect(new Set(computeIds).size).toBe(8);
    expect(onVim.filter((r) => r.kind === 'compute').map((r) => r.id).sort()).toEqual([...computeIds].sort());
    expect((await rt.service.getNs(ns.id)).state).toBe('INSTANTIATED');
    expect(await rt.service.listVnfs(ns.id)).toHaveLength(8);
    const check = await rt.reconciler.runOnce({ dryRun: true });
    expect(check.orphans).toEqual([]);
    expect(check.vanished).toEqual([]);

    // At most one open operation per NS, under a real race: one of five wins, four get 409.
    const raced = await Promise.allSettled(Array.from({ length: 5 }, () => rt.service.terminate(ns.id)));
    const won = raced.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of raced.filter((x) => x.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'NS_OPERATION_IN_PROGRESS', status: 409 });
    const term = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof rt.service.terminate>>>).value;
    expect((await rt.waitOp(term.id, 60_000)).operationState).toBe('COMPLETED');
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
    expect((await rt.service.getNs(ns.id)).state).toBe('NOT_INSTANTIATED');
    expect(await rt.repos.subnets.listByNs(ns.id)).toEqual([]);
    await second.stop();
    expect(second.output()).toContain('"COMPLETED"');
  });

  it('a worker killed (kill -9) mid-heal is replaced: the HEAL completes with the same addresses, nothing re-created twice', async () => {
    const docker = new Dockerode();
    const first = await rt.spawnWorker('worker-c', { leaseSeconds: 3 });
    const ns = await rt.service.createNs({ nsdId: 'sap-pairs-2', nsName: 'heal-me' });
    const inst = await rt.service.instantiate(ns.id);
    expect((await rt.waitOp(inst.id, 90_000)).operationState).toBe('COMPLETED');
    await first.stop();
    const before = await rt.service.listVnfs(ns.id);
    const sap = (id: string) => before.find((v) => v.memberId === id) ?? expect.unreachable(id);
    for (const id of ['s0', 's3']) await docker.getContainer(sap(id).computeIds[0] as string).kill();

    // This worker SIGKILLs itself once its first step of the heal is recorded DONE.
    const dying = await rt.spawnWorker('worker-d', { leaseSeconds: 3, computeConcurrency: 1, crashPoints: 'after-step-done:1' });
    const op = await rt.service.heal(ns.id, { degree: 'HEAL_RESTORE' });
    expect(await dying.exited).toBe('SIGKILL');
    expect(dying.output()).toContain('"crash":"after-step-done"');
    expect(await rt.repos.opOccs.get(op.id)).toMatchObject({ operationState: 'PROCESSING', owner: 'worker-d' });
    const doneBefore = (await rt.repos.opSteps.listByOp(op.id)).filter((s) => s.state === 'DONE');
    expect(doneBefore.length).toBeGreaterThan(0);

    const second = await rt.spawnWorker('worker-e', { leaseSeconds: 3 });
    const end = await rt.waitOp(op.id, 90_000);
    expect(end.operationState, JSON.stringify(end.error)).toBe('COMPLETED');
    const steps = await rt.repos.opSteps.listByOp(op.id);
    expect(steps.map((s) => [s.kind, s.target.split('-').pop(), s.state]).sort()).toEqual([['compute', 's0', 'DONE'], ['compute', 's3', 'DONE']]);
    for (const b of doneBefore) {
      const after = steps.find((s) => s.id === b.id);
      expect(after?.startedAt).toBe(b.startedAt);
      expect(after?.result?.['computeId']).toBe(b.result?.['computeId']);
    }
    // s0 and s3 run in new containers with their addresses; s1 and s2 were left alone.
    const after = await rt.service.listVnfs(ns.id);
    for (const v of after) {
      const was = sap(v.memberId);
      const healed = v.memberId === 's0' || v.memberId === 's3';
      expect(v.computeIds[0] !== was.computeIds[0], v.memberId).toBe(healed);
      expect(v.interfaces).toEqual(was.interfaces);
      const info = await docker.getContainer(v.computeIds[0] as string).inspect();
      expect(info.State.Running).toBe(true);
      expect(Object.values(info.NetworkSettings.Networks).map((n) => n.IPAMConfig?.IPv4Address || n.IPAddress)).toEqual(v.interfaces.map((i) => i.address));
    }
    const driver = rt.registry.get(POP);
    const of = (id: string) => after.find((v) => v.memberId === id) ?? expect.unreachable(id);
    for (const [from, to] of [['s0', 's1'], ['s3', 's2']] as const) {
      const ping = await driver.exec(of(from).computeIds[0] as string, ['ping', '-c', '1', '-W', '2', of(to).interfaces[0]?.address as string]);
      expect(ping.exitCode, `${from} → ${to}: ${ping.stdout}`).toBe(0);
    }
    expect((await driver.listByLabel({ 'rondo.ns': ns.id })).filter((r) => r.kind === 'compute')).toHaveLength(4);
    expect((await rt.reconciler.runOnce({ dryRun: true })).orphans).toEqual([]);

    const term = await rt.service.terminate(ns.id);
    expect((await rt.waitOp(term.id, 60_000)).operationState).toBe('COMPLETED');
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
    await second.stop();
  });
});
