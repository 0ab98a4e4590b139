import { describe, expect, it } from 'vitest';
import type { OpStep, VimAccount } from '../model/index.js';
import type { ComputeInfo } from '../vim/index.js';
import { MemoryVimDriver } from '../vim/memory/memory-vim-driver.js';
import { deadComputeSteps } from './retry-recheck.js';

const step = (id: string, kind: OpStep['kind'], target: string, extra: Partial<OpStep> = {}): OpStep => ({
  id, opId: 'op', seq: 0, phase: 0, kind, target, popId: 'p1', params: kind === 'compute' ? {} : { compute: target }, state: 'DONE', result: null, error: null, startedAt: null, endedAt: null, ...extra,
});
const account: VimAccount = { id: 'p1', name: 'p1', type: 'memory', endpoint: 'memory://x', capacity: null, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z' };

describe('deadComputeSteps', () => {
  it('names the DONE computes that no longer run, with the route and start steps inside them', async () => {
    const d = new MemoryVimDriver({ name: 'p1', popId: 'p1' });
    const net = await d.createNetwork({ name: 'n', subnet: '10.9.0.0/29', labels: {} });
    const made: ComputeInfo[] = [];
    for (const [i, name] of ['a', 'b', 'c'].entries()) made.push(await d.createCompute({ name, image: 'x', vcpus: 1, memoryMiB: 8, interfaces: [{ network: net.name, address: `10.9.0.${i + 2}` }], env: {}, labels: {} }));
    d.kill('b');
    await d.deleteCompute('c');
    const computeOf = (name: string, i: number) => step(`c-${name}`, 'compute', name, { result: { computeId: made[i]?.id, name } });
    const steps = [
      computeOf('a', 0), computeOf('b', 1), computeOf('c', 2),
      step('r-a', 'route', 'a'), step('r-b', 'route', 'b'), step('s-b', 'start', 'b'), step('s-c', 'start', 'c', { state: 'PENDING' }),
      step('c-d', 'compute', 'd', { state: 'FAILED' }),
    ];
    const redo = await deadComputeSteps(steps, { get: () => d, accounts: () => [account] });
    // b died (ERROR), c is gone (DELETED): both re-run, with what ran inside b; a runs on.
    expect(redo.sort()).toEqual(['c-b', 'c-c', 'r-b', 's-b']);
  });

  it('keeps the steps of a PoP that does not answer', async () => {
    const d = new MemoryVimDriver({ name: 'p1', popId: 'p1' });
    d.failNext('status');
    const redo = await deadComputeSteps([step('c-a', 'compute', 'a', { result: { computeId: 'x', name: 'a' } })], { get: () => d, accounts: () => [account] });
    expect(redo).toEqual([]);
  });
});
