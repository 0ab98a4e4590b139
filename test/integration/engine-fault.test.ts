import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../src/vim/docker/local-engine.js';
import { dockerAccount } from '../support/worker-process.js';
import { openWorkerRuntime, waitFor } from '../support/worker-runtime.js';
import type { WorkerRuntime } from '../support/worker-runtime.js';

// A second Docker engine of our own (src/vim/docker/local-engine.ts), so stopping it
// mid-operation does not disturb the shared engine other test files use. --live-restore
// keeps its containers running while it is down, as a production engine restart would.
const fault = new LocalEngine({ name: 'fault', bridge: 'rondofault0', bridgeAddress: '172.31.254.1/24', liveRestore: true });
const POP = `efault${process.pid}`;

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
/** The running engine's pid (to freeze it with SIGSTOP). */
const daemonPid = (): number => {
  const pid = fault.pid;
  if (pid === null) throw new Error('the fault dockerd is not running');
  return pid;
};

describe('a Docker engine that goes away mid-operation (second dockerd)', () => {
  let rt: WorkerRuntime;
  beforeAll(async () => {
    await startDaemon();
    await wipeDaemon();
    await fault.importVnfImages();
    rt = await openWorkerRuntime('engine-fault.test.ts', [dockerAccount(POP, fault.endpoint)], { reserveSapSubnets: 4000 });
  });
  afterAll(async () => {
    const pid = fault.pid;
    if (pid !== null) process.kill(pid, 'SIGCONT');
    else await startDaemon();
    await rt?.close();
    await wipeDaemon();
    await stopDaemon();
  });

  it('engine stopped mid-instantiate: FAILED_TEMP naming the step with VIM_CONNECTION; retry after restart completes', async () => {
    const worker = rt.startWorker('fault-worker', { computeConcurrency: 1 });
    try {
      const ns = await rt.service.createNs({ nsdId: 'sap-pairs-3', nsName: 'engine-fault' });
      const op = await rt.service.instantiate(ns.id, { autoRollback: false });
      // Watch the engine itself, not the op's steps: DONE outcomes are written in batches up
      // to 1 s late, by which time a loaded machine may have made every container. One of
      // six made (computes run one at a time) leaves the op mid-phase when the engine stops.
      await waitFor('the first container on the fault engine', 60_000, async () => {
        expect((await rt.repos.opOccs.get(op.id))?.operationState).toBe('PROCESSING');
        return (await engine.listContainers({ all: true, filters: { label: [`rondo.ns=${ns.id}`] } })).length > 0;
      }, 20);
      await stopDaemon();

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

  it('a hung engine (SIGSTOP, bounded) trips the 2 s step deadline: FAILED_TEMP naming the step; retry completes', async () => {
    const ns = await rt.service.createNs({ nsdId: 'sap-pairs-1', nsName: 'hung-engine' });
    await ensureDaemon();
    const hasty = rt.startWorker('deadline-worker', { stepDeadlineSeconds: 2 });
    const pid = daemonPid();
    let failed;
    try {
      process.kill(pid, 'SIGSTOP');
      const resume = setTimeout(() => process.kill(pid, 'SIGCONT'), 20_000);
      try {
        const op = await rt.service.instantiate(ns.id, { autoRollback: false });
        // A bound on waiting (below the 20 s thaw); VIM_TIMEOUT below is what proves the 2 s deadline tripped.
        failed = await rt.waitOp(op.id, 15_000);
      } finally {
        clearTimeout(resume);
        process.kill(pid, 'SIGCONT');
      }
    } finally {
      // Only this worker may hold the op while the engine hangs; the retry gets an ordinary deadline.
      await hasty.stop();
    }
    expect(failed.operationState).toBe('FAILED_TEMP');
    expect(failed.error).toMatchObject({ code: 'VIM_TIMEOUT', step: { kind: 'network', popId: POP } });
    expect(String(failed.error?.detail)).toMatch(/step 0 \(network .*deadline of 2 s/);
    await waitFor('the fault dockerd to answer again', 30_000, answers);
    // The engine still holds the abandoned create of the timed-out step and runs it once
    // resumed; a retry racing it gets Docker's "Pool overlaps" (see the closing report).
    // Give the abandoned request up to 10 s to land before retrying.
    const target = (failed.error?.['step'] as { target: string }).target;
    await waitFor(`network ${target} from the abandoned request`, 10_000, async () => (await engine.listNetworks({ filters: { name: [target] } })).length > 0).catch(() => undefined);
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

  // SOL005 §6.4.10: cancel acts within a phase. Six computes made one at a time give it time to.
  const instantiateUntilFirstContainer = async (nsName: string) => {
    const ns = await rt.service.createNs({ nsdId: 'sap-pairs-3', nsName });
    const op = await rt.service.instantiate(ns.id, { autoRollback: false });
    await waitFor('the first container', 60_000, async () => (await containersOf(ns.id)).length > 0, 20);
    return { ns, op };
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
      const { ns, op } = await instantiateUntilFirstContainer('cancel-graceful');
      await rt.service.cancel(op.id, 'GRACEFUL');
      const asked = Date.now();
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

  it('cancel FORCEFUL: a step hung on a frozen engine is aborted at once, not at its 60 s deadline; rollback leaves nothing', async () => {
    await ensureDaemon();
    const worker = rt.startWorker('forceful-worker', { computeConcurrency: 1 });
    const pid = daemonPid();
    try {
      const { ns, op } = await instantiateUntilFirstContainer('cancel-forceful');
      process.kill(pid, 'SIGSTOP');
      const resume = setTimeout(() => process.kill(pid, 'SIGCONT'), 30_000);
      let cancelled;
      try {
        await rt.service.cancel(op.id, 'FORCEFUL');
        const asked = Date.now();
        // The worker's step deadline is 60 s: settling within 15 s means the step was aborted.
        cancelled = await rt.waitOp(op.id, 15_000);
        console.log(`FORCEFUL cancel: FAILED_TEMP ${Date.now() - asked} ms after the request, the engine still frozen`);
      } finally {
        clearTimeout(resume);
        process.kill(pid, 'SIGCONT');
      }
      expect(cancelled.operationState).toBe('FAILED_TEMP');
      expect(cancelled.error).toMatchObject({ code: 'OP_CANCELLED', detail: expect.stringMatching(/cancelled \(FORCEFUL\) in phase 1/) });
      const steps = await rt.repos.opSteps.listByOp(op.id);
      expect(steps.filter((s) => s.state === 'FAILED').map((s) => s.error?.['code'])).toEqual(['OP_CANCELLED']);
      // The frozen engine may still run the abandoned request once thawed, at a moment no one
      // can observe. A restarted engine has no request in flight: what it made exists now
      // (live-restore), and nothing lands later behind the rollback's sweep.
      await waitFor('the fault dockerd to answer again', 30_000, answers);
      await stopDaemon();
      await startDaemon();
      await rollBackToNothing(op.id, ns.id);
    } finally {
      await worker.stop();
    }
  });
});
