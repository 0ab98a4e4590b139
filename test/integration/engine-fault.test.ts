import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../src/vim/docker/local-engine.js';
import { EngineGate } from '../support/engine-gate.js';
import { dockerAccount } from '../support/worker-process.js';
import { openWorkerRuntime } from '../support/worker-runtime.js';
import type { WorkerRuntime } from '../support/worker-runtime.js';

// A second Docker engine of our own (src/vim/docker/local-engine.ts), so stopping it
// mid-operation does not disturb the shared engine other test files use. --live-restore
// keeps its containers running while it is down, as a production engine restart would.
const fault = new LocalEngine({ name: 'fault', bridge: 'rondofault0', bridgeAddress: '172.31.254.1/24', liveRestore: true });
const POP = `efault${process.pid}`;
// The workers reach the fault engine through this gate, so a test can stop the engine while
// a chosen request is on its way (test/support/engine-gate.ts) instead of racing the machine.
const gate = new EngineGate(fault.socket, `/tmp/rondo-efault-gate-${process.pid}.sock`);

const engine: Docker = fault.client;
const answers = (): Promise<boolean> => fault.answers();
const containersOf = async (nsId: string) => engine.listContainers({ all: true, filters: { label: [`rondo.ns=${nsId}`] } });

const startDaemon = (): Promise<void> => fault.start();
const wipeDaemon = (): Promise<void> => fault.wipe();
const stopDaemon = (): Promise<void> => fault.stop();
/** Starts the fault engine again when an earlier test (or its failure) left it stopped. */
async function ensureDaemon(): Promise<void> {
  if (fault.pid === null || !(await answers())) await startDaemon();
}

describe('a Docker engine that goes away mid-operation (second dockerd)', () => {
  let rt: WorkerRuntime;
  beforeAll(async () => {
    await startDaemon();
    await wipeDaemon();
    await fault.importVnfImages();
    await gate.open();
    rt = await openWorkerRuntime('engine-fault.test.ts', [dockerAccount(POP, gate.endpoint)], { reserveSapSubnets: 4000 });
  });
  afterAll(async () => {
    await ensureDaemon();
    await rt?.close();
    await gate.close();
    await wipeDaemon();
    await stopDaemon();
  });

  it('engine stopped mid-instantiate: FAILED_TEMP naming the step with VIM_CONNECTION; retry after restart completes', async () => {
    const worker = rt.startWorker('fault-worker', { computeConcurrency: 1 });
    try {
      const ns = await rt.service.createNs({ nsdId: 'sap-pairs-3', nsName: 'engine-fault' });
      // Computes run one at a time: the engine stops while the second container's create is
      // on its way, with one of six made, so the op is mid-phase when the engine goes away.
      const second = gate.hold(/^POST \S*\/containers\/create/, 2);
      const op = await rt.service.instantiate(ns.id, { autoRollback: false });
      await second.held;
      expect((await containersOf(ns.id)).length).toBe(1);
      await stopDaemon();
      second.release();

      const failed = await rt.waitOp(op.id, 60_000);
      expect(failed.operationState).toBe('FAILED_TEMP');
      expect(failed.error, JSON.stringify(failed.error)).toMatchObject({ code: 'VIM_CONNECTION', vimErrorKind: 'CONNECTION', step: { kind: 'compute', popId: POP } });
      const steps = await rt.repos.opSteps.listByOp(op.id);
      const failedStep = steps.find((s) => s.state === 'FAILED');
      expect(failedStep?.id).toBe((failed.error?.['step'] as { id: string }).id);
      await expect(rt.service.retry(op.id).then(() => rt.waitOp(op.id, 30_000))).resolves.toMatchObject({ operationState: 'FAILED_TEMP' });

      await startDaemon();
      await rt.service.retry(op.id);
      const done = await rt.waitOp(op.id, 60_000);
      expect(done).toMatchObject({ operationState: 'COMPLETED', error: null });
      const driver = rt.registry.get(POP);
      const computes = (await driver.listByLabel({ 'rondo.ns': ns.id })).filter((r) => r.kind === 'compute');
      expect(computes).toHaveLength(6);
      // Every compute runs: those made before the outage ran through it (live restore); one the
      // stopping engine killed after answering its start is made again by the retry.
      for (const c of computes) expect((await driver.status(c.id)).state).toBe('ACTIVE');
      expect((await rt.service.getNs(ns.id)).state).toBe('INSTANTIATED');

      const term = await rt.service.terminate(ns.id);
      expect((await rt.waitOp(term.id, 60_000)).operationState).toBe('COMPLETED');
      expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
    } finally {
      // A worker left running would take the next test's operation with its own deadline.
      await worker.stop();
    }
  });

  it('a hung engine (its network create never answers) trips the 2 s step deadline: FAILED_TEMP naming the step; retry completes', async () => {
    const ns = await rt.service.createNs({ nsdId: 'sap-pairs-1', nsName: 'hung-engine' });
    await ensureDaemon();
    const hasty = rt.startWorker('deadline-worker', { stepDeadlineSeconds: 2 });
    // The first network create is held at the gate: to the worker the engine hangs.
    const first = gate.hold(/^POST \S*\/networks\/create/, 1);
    let failed;
    try {
      const op = await rt.service.instantiate(ns.id, { autoRollback: false });
      await first.held;
      // A bound on waiting; VIM_TIMEOUT below is what proves the 2 s deadline tripped.
      failed = await rt.waitOp(op.id, 30_000);
    } finally {
      // The abandoned create never reaches the engine, so no late network races the retry.
      first.refuse();
      // Only this worker may hold the op while the engine hangs; the retry gets an ordinary deadline.
      await hasty.stop();
    }
    expect(failed.operationState).toBe('FAILED_TEMP');
    expect(failed.error).toMatchObject({ code: 'VIM_TIMEOUT', step: { kind: 'network', popId: POP } });
    expect(String(failed.error?.detail)).toMatch(/step 0 \(network .*deadline of 2 s/);
    // Creating a container takes 1-3 s on this machine: retry with an ordinary deadline.
    const worker = rt.startWorker('retry-worker');
    try {
      await rt.service.retry(failed.id);
      const retried = await rt.waitOp(failed.id, 60_000);
      expect(retried.error).toBeNull();
      expect(retried.operationState).toBe('COMPLETED');
      const term = await rt.service.terminate(ns.id);
      expect((await rt.waitOp(term.id, 60_000)).operationState).toBe('COMPLETED');
      expect(await rt.registry.get(POP).listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
    } finally {
      await worker.stop();
    }
  });

  // SOL005 §6.4.10: cancel acts within a phase. Six computes made one at a time, the second
  // one's create held at the gate: the cancel is asked while a step is on its way, with
  // four more to go, however fast the machine made the first.
  const CREATE = /^POST \S*\/containers\/create/;
  const instantiateHoldingSecondCreate = async (nsName: string) => {
    const ns = await rt.service.createNs({ nsdId: 'sap-pairs-3', nsName });
    const second = gate.hold(CREATE, 2);
    const op = await rt.service.instantiate(ns.id, { autoRollback: false });
    await second.held;
    return { ns, op, second };
  };
  const rollBackToNothing = async (opId: string, nsId: string) => {
    await rt.service.rollback(opId);
    expect((await rt.waitOp(opId, 60_000)).operationState).toBe('ROLLED_BACK');
    expect(await containersOf(nsId)).toEqual([]);
    expect(await engine.listNetworks({ filters: { label: [`rondo.ns=${nsId}`] } })).toEqual([]);
  };

  it('cancel GRACEFUL: no compute is started after the cancel; FAILED_TEMP OP_CANCELLED; rollback leaves nothing', async () => {
    await ensureDaemon();
    const worker = rt.startWorker('graceful-worker', { computeConcurrency: 1 });
    try {
      const { ns, op, second } = await instantiateHoldingSecondCreate('cancel-graceful');
      await rt.service.cancel(op.id, 'GRACEFUL');
      const asked = Date.now();
      // GRACEFUL lets the running step finish: its create goes on to the engine.
      second.release();
      const cancelled = await rt.waitOp(op.id, 30_000);
      const made = (await containersOf(ns.id)).length;
      console.log(`GRACEFUL cancel: FAILED_TEMP ${Date.now() - asked} ms after the request; ${made} of 6 containers made`);
      expect(cancelled.operationState).toBe('FAILED_TEMP');
      expect(cancelled.error).toMatchObject({ code: 'OP_CANCELLED', detail: expect.stringMatching(/cancelled \(GRACEFUL\) in phase 1/) });
      // Computes run one at a time: the running one finishes, none after it starts.
      expect(made).toBeLessThan(6);
      await rollBackToNothing(op.id, ns.id);
    } finally {
      await worker.stop();
    }
  });

  it('cancel FORCEFUL: a step hung on the engine is aborted at once, not at its 60 s deadline; rollback leaves nothing', async () => {
    await ensureDaemon();
    const worker = rt.startWorker('forceful-worker', { computeConcurrency: 1 });
    try {
      // The held create never answers: to the worker the engine hangs mid-step.
      const { ns, op, second } = await instantiateHoldingSecondCreate('cancel-forceful');
      let cancelled;
      try {
        await rt.service.cancel(op.id, 'FORCEFUL');
        const asked = Date.now();
        // A bound on waiting, below the step's 60 s deadline; the step's OP_CANCELLED (not
        // VIM_TIMEOUT) below is what shows it was aborted by the cancel.
        cancelled = await rt.waitOp(op.id, 45_000);
        console.log(`FORCEFUL cancel: FAILED_TEMP ${Date.now() - asked} ms after the request, the create still held`);
      } finally {
        // The aborted create never reaches the engine: nothing lands behind the rollback.
        second.refuse();
      }
      expect(cancelled.operationState).toBe('FAILED_TEMP');
      expect(cancelled.error).toMatchObject({ code: 'OP_CANCELLED', detail: expect.stringMatching(/cancelled \(FORCEFUL\) in phase 1/) });
      const steps = await rt.repos.opSteps.listByOp(op.id);
      expect(steps.filter((s) => s.state === 'FAILED').map((s) => s.error?.['code'])).toEqual(['OP_CANCELLED']);
      await rollBackToNothing(op.id, ns.id);
    } finally {
      await worker.stop();
    }
  });
});
