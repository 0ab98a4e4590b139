import { describe, expect, it } from 'vitest';
import { VimError } from '../../model/index.js';
import { expectVimError, runVimCompliance } from '../../../test/vim-compliance.js';
import { LABEL_NS, LABEL_POP } from '../vim-driver.js';
import type { ComputeSpec, VimEvent } from '../vim-driver.js';
import { createMemoryVimDriver } from './memory-vim-driver.js';

runVimCompliance('memory', async () => {
  const driver = createMemoryVimDriver({ images: ['vnf/busybox:latest'], popId: 'dc-a' });
  return {
    driver,
    image: 'vnf/busybox:latest',
    cleanup: async () => undefined,
    kill: async (id) => driver.kill(id),
    otherPop: { popId: 'dc-b', driver: driver.forPop('dc-b') },
  };
}, { crossPop: true });

const fixedClock = { now: () => new Date('2024-01-02T03:04:05Z') };
const counter = (): { next(): string } => {
  let n = 0;
  return { next: () => String(++n) };
};
const vnf = (name: string, network: string, address: string, extra: Partial<ComputeSpec> = {}): ComputeSpec => ({
  name, image: 'img', vcpus: 1, memoryMiB: 128, interfaces: [{ network, address }], env: {}, labels: { [LABEL_NS]: 'ns1' }, ...extra,
});

describe('MemoryVimDriver', () => {
  it('uses the injected ids and clock, and records execs', async () => {
    const d = createMemoryVimDriver({ clock: fixedClock, ids: counter() });
    const n = await d.createNetwork({ name: 'n', subnet: '10.0.0.0/24', labels: { [LABEL_NS]: 'ns1' } });
    const c = await d.createCompute(vnf('a', 'n', '10.0.0.2'));
    expect([n.id, c.id]).toEqual(['net-1', 'cmp-2']);
    await d.exec('a', ['ip', 'route', 'add', '10.9.0.0/16', 'via', '10.0.0.3']);
    expect(d.execLog).toEqual([
      { computeId: 'cmp-2', computeName: 'a', cmd: ['ip', 'route', 'add', '10.9.0.0/16', 'via', '10.0.0.3'], result: { exitCode: 0, stdout: '', stderr: '' }, at: fixedClock.now() },
    ]);
  });

  it('reserves the first host address as gateway when none is given, like Docker', async () => {
    const d = createMemoryVimDriver();
    await d.createNetwork({ name: 'n', subnet: '10.0.0.0/29', labels: {} });
    await expectVimError(d.createCompute(vnf('a', 'n', '10.0.0.1')), 'CONFLICT');
    await expectVimError(d.createCompute(vnf('b', 'n', '10.0.0.7')), 'CONFLICT');
    await expectVimError(d.createCompute(vnf('c', 'n', '10.0.0.0')), 'CONFLICT');
    await expect(d.createCompute(vnf('d', 'n', '10.0.0.6'))).resolves.toMatchObject({ state: 'ACTIVE' });
  });

  it('lets a custom exec handler answer and falls back to the simulation', async () => {
    const d = createMemoryVimDriver({ onExec: (cmd) => (cmd[0] === 'start.sh' ? { exitCode: 7, stdout: '', stderr: 'boom' } : undefined) });
    await d.createNetwork({ name: 'n', subnet: '10.0.0.0/24', labels: {} });
    await d.createCompute(vnf('a', 'n', '10.0.0.2'));
    expect((await d.exec('a', ['start.sh'])).exitCode).toBe(7);
    expect((await d.exec('a', ['sh', '-c', 'exit 4'])).exitCode).toBe(4);
  });

  it('injects faults once per failNext, in order', async () => {
    const d = createMemoryVimDriver();
    d.failNext('createNetwork', new VimError('CONNECTION', 'memory', 'down'));
    d.failNext('createNetwork');
    const spec = { name: 'n', subnet: '10.0.0.0/24', labels: {} };
    expect((await expectVimError(d.createNetwork(spec), 'CONNECTION')).retryable).toBe(true);
    await expectVimError(d.createNetwork(spec), 'UNEXPECTED_RESPONSE');
    await expect(d.createNetwork(spec)).resolves.toMatchObject({ name: 'n' });
  });

  it('refuses computes beyond capacity with QUOTA when asked to, and frees it on delete', async () => {
    const d = createMemoryVimDriver({ capacity: { cpu: 2, memoryMiB: 256 }, enforceCapacity: true });
    await d.createNetwork({ name: 'n', subnet: '10.0.0.0/24', labels: {} });
    await d.createCompute(vnf('a', 'n', '10.0.0.2'));
    await d.createCompute(vnf('b', 'n', '10.0.0.3'));
    await expectVimError(d.createCompute(vnf('c', 'n', '10.0.0.4')), 'QUOTA');
    await d.deleteCompute('a');
    await expect(d.createCompute(vnf('c', 'n', '10.0.0.4'))).resolves.toMatchObject({ name: 'c' });
  });

  it('labels everything with its PoP and lists only that PoP', async () => {
    const d = createMemoryVimDriver({ popId: 'dc1' });
    const n = await d.createNetwork({ name: 'n', subnet: '10.0.0.0/24', labels: { [LABEL_NS]: 'ns1' } });
    expect(n.labels[LABEL_POP]).toBe('dc1');
    expect(await d.listByLabel({ [LABEL_NS]: 'ns1' })).toHaveLength(1);
  });

  it('emits oom then died on an OOM kill, and exec on a dead compute is CONFLICT', async () => {
    const d = createMemoryVimDriver({ clock: fixedClock });
    await d.createNetwork({ name: 'n', subnet: '10.0.0.0/24', labels: {} });
    const c = await d.createCompute(vnf('a', 'n', '10.0.0.2'));
    const ac = new AbortController();
    const events: VimEvent[] = [];
    const reading = (async () => { for await (const e of d.watch(ac.signal)) { events.push(e); if (e.type === 'compute.died') ac.abort(); } })();
    await Promise.resolve();
    expect(d.watchers).toBe(1);
    d.kill('a', { oom: true });
    await reading;
    expect(events.map((e) => e.type)).toEqual(['compute.oom', 'compute.died']);
    expect(events[1]).toMatchObject({ computeId: c.id, exitCode: 137, at: fixedClock.now() });
    await expectVimError(d.exec('a', ['true']), 'CONFLICT');
  });

  // That it stays linear (no quadratic work) is measured by bench/limits.ts.
  it('handles 1000 VNFs on 1000 networks', async () => {
    const d = createMemoryVimDriver();
    for (let i = 0; i < 1000; i++) {
      const name = `n${i}`;
      await d.createNetwork({ name, subnet: `10.${i >> 8}.${i & 255}.0/24`, labels: { [LABEL_NS]: `ns${i % 10}` } });
      await d.createCompute({ ...vnf(`v${i}`, name, `10.${i >> 8}.${i & 255}.2`), labels: { [LABEL_NS]: `ns${i % 10}` } });
    }
    expect(await d.listByLabel({ [LABEL_NS]: 'ns3' })).toHaveLength(200);
  });
});
