import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LcmOpOcc, OpStep } from '../../src/model/index.js';
import { dockerAccount } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { openWorkerRuntime, waitFor } from '../support/worker-runtime.js';
import type { WorkerRuntime } from '../support/worker-runtime.js';

// Real PostgreSQL, real Docker, workers in child processes killed with SIGKILL.
const POP = `wrec${process.pid}`;

describe('worker crash recovery (child processes, PostgreSQL, Docker)', () => {
  let rt: WorkerRuntime;
  beforeAll(async () => {
    // The relay of `sap-relay` runs vnf/busybox (fast when the images are there).
    await promisify(execFile)('bash', ['scripts/build-vnf-images.sh']);
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

  // ---- SCALE and OPERATE_VNF (issue #16): one kill -9 in the middle of each operation ----

  let dyingSeq = 0;
  /**
   * A worker process that first finishes the op its predecessor dies in (`left` steps to
   * make DONE), then SIGKILLs itself at the `nth` DONE step of the next op. One compute at a
   * time, so the nth DONE step is one point of the op.
   */
  const spawnDying = (left: number, nth: number): Promise<WorkerProcess> =>
    rt.spawnWorker(`dying-${++dyingSeq}`, { leaseSeconds: 2, computeConcurrency: 1, crashPoints: `after-step-done:${left + nth}` });

  /**
   * Makes an operation that `dying` runs until it kills itself at its `nth` DONE step (the
   * last of a phase, so exactly `nth` steps are DONE), checks what the crash left
   * (`atCrash`), and has a new worker take it over once the dead one's lease ran out: a
   * process that then dies `nextNth` steps into the next op, or, with none, an in-process
   * worker. The op must complete with every step DONE, and the steps DONE before the crash
   * untouched (not run again).
   */
  async function killMidway(dying: WorkerProcess, nth: number, makeOp: () => Promise<LcmOpOcc>, atCrash: (steps: OpStep[]) => Promise<void>, nextNth?: number) {
    const op = await makeOp();
    // The next process starts once `dying` has claimed and planned the op: it cannot claim
    // it before `dying`'s lease runs out after its death, and it knows what will be left.
    const planned = await waitFor('the plan', 60_000, async () => (await rt.repos.opSteps.listByOp(op.id)).length);
    const spawning = nextNth === undefined ? undefined : spawnDying(planned - nth, nextNth);
    expect(await dying.exited).toBe('SIGKILL');
    expect(dying.output()).toContain(`{"crash":"after-step-done","opId":"${op.id}"`);
    expect(await rt.repos.opOccs.get(op.id)).toMatchObject({ operationState: 'PROCESSING', owner: dying.owner });
    const before = await rt.repos.opSteps.listByOp(op.id);
    const doneBefore = before.filter((s) => s.state === 'DONE');
    expect(doneBefore.length).toBe(nth);
    expect(doneBefore.length, 'killed mid-way').toBeLessThan(before.length);
    await atCrash(before);

    const next = await spawning;
    const taker = next ?? rt.startWorker(`taker-${dyingSeq}`);
    const end = await rt.waitOp(op.id, 90_000);
    if (!next) await taker.stop();
    expect(end.operationState, JSON.stringify(end.error)).toBe('COMPLETED');
    // The new process completed it (it prints the change once told, a moment after the commit seen here).
    if (next) await waitFor('the taker to report the op COMPLETED', 10_000, async () => next.output().includes(`{"op":"${op.id}","state":"COMPLETED"}`));
    expect((await rt.repos.opOccs.get(op.id))?.attempts).toBeGreaterThanOrEqual(2);
    const steps = await rt.repos.opSteps.listByOp(op.id);
    expect(steps.filter((s) => s.state !== 'DONE').map((s) => `${s.kind} ${s.target} ${s.state}`)).toEqual([]);
    for (const b of doneBefore) expect(steps.find((s) => s.id === b.id), `${b.kind} ${b.target} ran again`).toMatchObject({ startedAt: b.startedAt, endedAt: b.endedAt, result: b.result });
    return { steps, next };
  }

  it('a worker killed (kill -9) mid-SCALE_OUT, mid-stop, mid-start and mid-SCALE_IN is replaced each time: each op completes, no step runs twice, containers, addresses, routes and commands right', async () => {
    const docker = new Dockerode();
    const driver = rt.registry.get(POP);
    const w0 = rt.startWorker('worker-f');
    const ns = await rt.service.createNs({ nsdId: 'sap-relay', nsName: 'scale-me' });
    const inst = await rt.service.instantiate(ns.id);
    await rt.waitOp(inst.id, 60_000, (o) => o.owner === 'worker-f' || o.operationState !== 'PROCESSING');
    // Each worker dies at the nth DONE step of its op, the last of a phase (the steps of a phase may be recorded DONE together).
    const nth = { out: 1, stop: 2, start: 2, in: 3 };
    const dyingOut = spawnDying(0, nth.out);
    expect((await rt.waitOp(inst.id, 90_000)).operationState).toBe('COMPLETED');
    await w0.stop();

    const member = async (id: string) => (await rt.service.listVnfs(ns.id)).find((v) => v.memberId === id) ?? expect.unreachable(id);
    const first = await member('relay');
    const sapIn = (await member('in')).computeIds[0] as string;
    const outAddr = (await member('out')).interfaces[0]?.address as string;
    /** The relay's containers on Docker: id, running, addresses (sorted by id). */
    const relays = async () => {
      const found = await docker.listContainers({ all: true, filters: { label: [`rondo.ns=${ns.id}`, 'rondo.vnf=relay'] } });
      const out = await Promise.all(found.map(async (c) => {
        const info = await docker.getContainer(c.Id).inspect();
        return { id: c.Id, running: info.State.Running, addresses: Object.values(info.NetworkSettings.Networks).map((n) => n.IPAMConfig?.IPv4Address || n.IPAddress).sort() };
      }));
      return out.sort((a, b) => a.id.localeCompare(b.id));
    };
    /** The relay's record matches Docker: the same containers, with the recorded addresses. */
    const recordMatchesDocker = async (count: number, running: boolean) => {
      const vnf = await member('relay');
      const onDocker = await relays();
      expect(onDocker.map((c) => c.id)).toEqual([...vnf.computeIds].sort());
      expect(onDocker.every((c) => c.running === running)).toBe(true);
      expect(onDocker.flatMap((c) => c.addresses).sort()).toEqual(vnf.interfaces.map((i) => i.address).sort());
      expect(vnf.computeIds).toHaveLength(count);
      return vnf;
    };
    const started = async (id: string) => (await driver.exec(id, ['test', '-f', '/tmp/started'])).exitCode === 0;
    const routesIn = async () => (await driver.exec(sapIn, ['ip', 'route'])).stdout;
    const ping = async () => (await driver.exec(sapIn, ['ping', '-c', '1', '-W', '2', outAddr])).exitCode;
    await recordMatchesDocker(1, true);
    await waitFor('the relay start command', 10_000, () => started(first.computeIds[0] as string));
    expect(await ping()).toBe(0);
    const scale = (type: 'SCALE_OUT' | 'SCALE_IN') => () => rt.service.scale(ns.id, { scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: first.id, scaleVnfType: type, scaleByStepData: { aspectId: 'vdu01' } }] });
    const operate = (changeStateTo: 'STOPPED' | 'STARTED') => () =>
      rt.service.update(ns.id, { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: first.id, changeStateTo, ...(changeStateTo === 'STOPPED' ? { stopType: 'GRACEFUL' as const, gracefulStopTimeout: 5 } : {}) }] });

    /** Kind, short target and state of each step, sorted (steps of one phase run in no fixed order). */
    const shape = (steps: readonly OpStep[]) => steps.map((s) => `${s.kind} ${s.target.split('-').slice(2).join('-')} ${s.state}`).sort();

    // SCALE_OUT, killed once the new relay's container is made: before its start command, the SAPs' routes to it and its VNF record.
    let newId = '';
    const out = await killMidway(await dyingOut, nth.out, scale('SCALE_OUT'), async (steps) => {
      expect(shape(steps)).toEqual(['compute relay-vdu01-1 DONE', 'route in PENDING', 'route out PENDING', 'start relay-vdu01-1 PENDING']);
      newId = steps.find((s) => s.kind === 'compute')?.result?.['computeId'] as string;
      expect((await relays()).map((c) => c.id)).toEqual([first.computeIds[0], newId].sort());
      expect((await member('relay')).computeIds).toEqual(first.computeIds);
      expect(await started(newId)).toBe(false);
    }, nth.stop);
    const scaled = await recordMatchesDocker(2, true);
    expect(scaled.computeIds).toEqual([first.computeIds[0], newId]);
    expect(scaled.scaleStatus).toEqual([{ aspectId: 'vdu01', scaleLevel: 1 }]);
    const added = scaled.interfaces.slice(first.interfaces.length);
    expect(added.map((i) => i.linkId)).toEqual(first.interfaces.map((i) => i.linkId));
    await waitFor('the new relay\'s start command', 10_000, () => started(newId));
    // The ingress SAP spreads its traffic over both relays now, and still reaches the egress SAP.
    const newIn = added.find((i) => i.cp === 'input')?.address as string;
    expect(await routesIn()).toContain(`via ${newIn}`);
    expect(await ping()).toBe(0);

    // OPERATE_VNF stop (GRACEFUL), killed once both stop commands ran, before the containers stop.
    const stop = await killMidway(out.next as WorkerProcess, nth.stop, operate('STOPPED'), async (steps) => {
      expect(shape(steps)).toEqual(['compute relay PENDING', 'compute relay-vdu01-1 PENDING', 'stop relay DONE', 'stop relay-vdu01-1 DONE']);
      expect((await relays()).every((c) => c.running)).toBe(true);
      for (const id of scaled.computeIds) expect(await started(id)).toBe(false);
      expect((await member('relay')).state).toBe('STARTED');
    }, nth.start);
    await recordMatchesDocker(2, false);
    expect((await member('relay')).state).toBe('STOPPED');

    // OPERATE_VNF start, killed once both containers run again, before their start commands.
    const start = await killMidway(stop.next as WorkerProcess, nth.start, operate('STARTED'), async (steps) => {
      expect(shape(steps)).toEqual(['compute relay DONE', 'compute relay-vdu01-1 DONE', 'start relay PENDING', 'start relay-vdu01-1 PENDING']);
      expect((await relays()).every((c) => c.running)).toBe(true);
      for (const id of scaled.computeIds) expect(await started(id)).toBe(false);
    }, nth.in);
    const back = await recordMatchesDocker(2, true);
    expect(back.interfaces).toEqual(scaled.interfaces);
    expect(back.state).toBe('STARTED');
    for (const id of scaled.computeIds) await waitFor(`the start command in ${id}`, 10_000, () => started(id));
    expect(await ping()).toBe(0);

    // SCALE_IN (its rollback is not supported: it resumes), killed once the SAPs stopped sending to the second relay and its
    // stop command ran, before it is removed.
    await killMidway(start.next as WorkerProcess, nth.in, scale('SCALE_IN'), async (steps) => {
      expect(shape(steps)).toEqual(['compute relay-vdu01-1 PENDING', 'route in DONE', 'route out DONE', 'stop relay-vdu01-1 DONE']);
      expect((await relays()).map((c) => c.id)).toEqual([...scaled.computeIds].sort());
      expect(await started(newId)).toBe(false);
      expect(await routesIn()).not.toContain(`via ${newIn}`);
    });
    const last = await recordMatchesDocker(1, true);
    expect(last.computeIds).toEqual(first.computeIds);
    expect(last.interfaces).toEqual(first.interfaces);
    expect(last.scaleStatus).toEqual([{ aspectId: 'vdu01', scaleLevel: 0 }]);
    await expect(docker.getContainer(newId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await routesIn()).not.toContain(`via ${newIn}`);
    expect(await ping()).toBe(0);
    expect((await rt.reconciler.runOnce({ dryRun: true })).orphans).toEqual([]);

    const w1 = rt.startWorker('worker-g');
    const term = await rt.service.terminate(ns.id);
    expect((await rt.waitOp(term.id, 60_000)).operationState).toBe('COMPLETED');
    await w1.stop();
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
    expect(await rt.repos.subnets.listByNs(ns.id)).toEqual([]);
  });
});
