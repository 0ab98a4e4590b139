/**
 * IPAM that sees the engine (issue #17, item 5), on the real Docker engine: two Rondo
 * installations with separate stores share one engine, as a laptop's and a test run's
 * do. Each store alone would hand out the same subnets; Docker refuses the second
 * ("Pool overlaps with other one on this address space"). IPAM skips what the engine
 * already has, and an overlap met at network creation is planned around.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overlappedIndexes, subnetAt } from '../../src/ipam/index.js';
import { dockerAccount } from '../support/worker-process.js';
import { openWorkerRuntime } from '../support/worker-runtime.js';
import type { WorkerRuntime } from '../support/worker-runtime.js';

const run = promisify(execFile);
const docker = async (...args: string[]): Promise<string> => (await run('docker', args, { timeout: 30_000 })).stdout.trim();
const pid = process.pid;
// Both stores start at the same offset of the SAP pool (this file's own, see vitest.config.ts).
const OFFSET = 5000;

/** The SAP-pool indexes an NS holds in its store. */
async function sapIndexes(rt: WorkerRuntime, nsId: string): Promise<number[]> {
  return (await rt.repos.subnets.listByNs(nsId)).filter((a) => a.pool === 'sap').map((a) => a.index);
}

describe('IPAM beside other users of one Docker engine', () => {
  let a: WorkerRuntime;
  let b: WorkerRuntime;
  const foreign = `someone-else-${pid}`;
  beforeAll(async () => {
    try {
      await docker('info', '--format', '{{.ServerVersion}}');
    } catch (e) {
      throw new Error(`Docker is required for this test and does not answer: ${(e as Error).message}`);
    }
    a = await openWorkerRuntime('ipam-engine-docker.test.ts-a', [dockerAccount(`ipa${pid}`)], { reserveSapSubnets: OFFSET });
    b = await openWorkerRuntime('ipam-engine-docker.test.ts-b', [dockerAccount(`ipb${pid}`)], { reserveSapSubnets: OFFSET });
  });
  afterAll(async () => {
    await docker('network', 'rm', foreign).catch(() => '');
    await a?.close();
    await b?.close();
  });

  it('skips a subnet that a network made outside Rondo holds', async () => {
    // Made with the docker CLI, no Rondo label: only the engine knows it.
    await docker('network', 'create', '--subnet', subnetAt('sap', OFFSET), foreign);
    const worker = a.startWorker('ipam-a');
    try {
      const ns = await a.service.createNs({ nsdId: 'sap-pairs-2', nsName: 'beside-foreign' });
      const op = await a.service.instantiate(ns.id);
      const done = await a.waitOp(op.id, 60_000);
      expect(done.error).toBeNull();
      expect(done.operationState).toBe('COMPLETED');
      const held = await sapIndexes(a, ns.id);
      expect(held).toHaveLength(2);
      expect(held).not.toContain(OFFSET);
      const term = await a.service.terminate(ns.id);
      expect((await a.waitOp(term.id, 60_000)).operationState).toBe('COMPLETED');
    } finally {
      await worker.stop();
    }
    expect(await docker('network', 'ls', '-q', '--filter', `name=^${foreign}$`)).not.toBe('');
    await docker('network', 'rm', foreign);
  });

  it('two installations with separate stores instantiate at the same time on one engine, and both complete', async () => {
    const workers = [a.startWorker('ipam-a2'), b.startWorker('ipam-b2')];
    try {
      const nss = await Promise.all([a, b].map((rt, i) => rt.service.createNs({ nsdId: 'sap-pairs-3', nsName: `side-${i}` })));
      const ops = await Promise.all([a, b].map((rt, i) => rt.service.instantiate(nss[i]!.id)));
      const ends = await Promise.all([a, b].map((rt, i) => rt.waitOp(ops[i]!.id, 90_000)));
      for (const end of ends) {
        expect(end.error).toBeNull();
        expect(end.operationState).toBe('COMPLETED');
      }
      // Each store handed out subnets the other's networks do not overlap.
      const [ia, ib] = await Promise.all([sapIndexes(a, nss[0]!.id), sapIndexes(b, nss[1]!.id)]);
      expect(ia).toHaveLength(3);
      expect(ib).toHaveLength(3);
      expect(ia.filter((i) => ib.includes(i))).toEqual([]);
      // And the engine has all six, none overlapping another.
      const onEngine: string[] = [];
      for (const ns of nss) {
        const ids = (await docker('network', 'ls', '-q', '--filter', `label=rondo.ns=${ns.id}`)).split('\n');
        onEngine.push(...(await docker('network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Subnet}}{{end}}', ...ids)).split('\n'));
      }
      expect(onEngine).toHaveLength(6);
      expect(new Set(onEngine.flatMap((s) => overlappedIndexes('sap', [s]))).size).toBe(6);
      const terms = await Promise.all([a, b].map((rt, i) => rt.service.terminate(nss[i]!.id)));
      for (const [i, rt] of [a, b].entries()) expect((await rt.waitOp(terms[i]!.id, 60_000)).operationState).toBe('COMPLETED');
      for (const [i, rt] of [a, b].entries()) expect(await rt.registry.get(rt.registry.accounts()[0]?.id ?? '').listByLabel({ 'rondo.ns': nss[i]!.id })).toEqual([]);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
