import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerAccount } from '../support/worker-process.js';
import { openWorkerRuntime, waitFor } from '../support/worker-runtime.js';
import type { WorkerRuntime } from '../support/worker-runtime.js';

// A second Docker engine of our own, so stopping it mid-operation does not disturb the
// shared engine other test files use. --live-restore keeps its containers running while
// it is down, as a production engine restart would. It gets a bridge of its own:
// `--bridge=none` would make it delete the shared engine's docker0.
const RUN = '/run/rondo-fault';
const SOCK = `${RUN}/docker.sock`;
const PIDFILE = `${RUN}/docker.pid`;
const DAEMON_ARGS = [
  '--iptables=false', '--bridge=rondofault0', '--live-restore', '-H', `unix://${SOCK}`, '--data-root', '/var/lib/rondo-fault-docker',
  '--exec-root', `${RUN}/exec`, '--pidfile', PIDFILE,
];
const POP = `efault${process.pid}`;

const engine = new Docker({ socketPath: SOCK });
const answers = async (): Promise<boolean> => {
  const ping = engine.ping() as Promise<unknown>;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('ping timed out')), 1000).unref());
  return Promise.race([ping, timeout]).then(() => true, () => false);
};
const gone = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

let daemon: ChildProcess | null = null;
const containersOf = async (nsId: string) => engine.listContainers({ all: true, filters: { label: [`rondo.ns=${nsId}`] } });

async function startDaemon(): Promise<void> {
  mkdirSync(`${RUN}/exec`, { recursive: true });
  await sh('ip link show rondofault0 >/dev/null 2>&1 || ip link add name rondofault0 type bridge; ip addr replace 172.31.254.1/24 dev rondofault0; ip link set rondofault0 up');
  // A daemon left by an earlier, interrupted run of this file: stop it by its pidfile.
  if (existsSync(PIDFILE)) {
    const old = Number(readFileSync(PIDFILE, 'utf8'));
    if (old > 0 && !gone(old)) {
      process.kill(old, 'SIGTERM');
      await waitFor('the old fault dockerd to exit', 30_000, async () => gone(old));
    }
  }
  const log = openSync('/tmp/rondo-fault-dockerd.log', 'a');
  daemon = spawn('dockerd', DAEMON_ARGS, { stdio: ['ignore', log, log] });
  await waitFor('the fault dockerd to answer', 30_000, answers);
}

/** The fault engine is ours alone: remove every Rondo resource an interrupted run left on it. */
async function wipeDaemon(): Promise<void> {
  const missing = (e: { statusCode?: number }): void => {
    if (e.statusCode !== 404 && e.statusCode !== 409) throw e;
  };
  for (const c of await engine.listContainers({ all: true, filters: { label: ['rondo.ns'] } })) await engine.getContainer(c.Id).remove({ force: true }).catch(missing);
  for (const n of await engine.listNetworks({ filters: { label: ['rondo.ns'] } })) await engine.getNetwork(n.Id).remove().catch(missing);
}

/** Starts the fault engine again when an earlier test (or its failure) left it stopped. */
async function ensureDaemon(): Promise<void> {
  if (!daemon?.pid || !(await answers())) await startDaemon();
}

async function stopDaemon(): Promise<void> {
  const d = daemon;
  if (!d || d.exitCode !== null || d.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => d.once('exit', () => resolve()));
  d.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  if (d.exitCode === null && d.signalCode === null) d.kill('SIGKILL');
  daemon = null;
}

function sh(cmd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn('sh', ['-c', cmd], { stdio: 'inherit' });
    c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
  });
}

describe('a Docker engine that goes away mid-operation (second dockerd)', () => {
  let rt: WorkerRuntime;
  beforeAll(async () => {
    await startDaemon();
    await wipeDaemon();
    await sh(`docker save vnf/sap:latest vnf/busybox:latest | docker -H unix://${SOCK} load -q`);
    rt = await openWorkerRuntime('engine-fault.test.ts', [dockerAccount(POP, `unix://${SOCK}`)], { reserveSapSubnets: 4000 });
  });
  afterAll(async () => {
    if (daemon?.pid) process.kill(daemon.pid, 'SIGCONT');
    if (!(await answers()) && daemon === null) await startDaemon();
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
    const pid = daemon?.pid as number;
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
    const pid = daemon?.pid as number;
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
