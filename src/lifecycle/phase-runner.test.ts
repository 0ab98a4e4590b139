import { describe, expect, it } from 'vitest';
import type { OpStep } from '../model/index.js';
import { VimError } from '../model/index.js';
import { runGraph, runPhaseByKey } from './phase-runner.js';
import type { PhaseDeps } from './phase-runner.js';

const step = (seq: number, popId: string): OpStep => ({
  id: `s${seq}`, opId: 'op', seq, phase: 0, kind: 'network', target: `n${seq}`, popId, params: {},
  state: 'PENDING', result: null, error: null, startedAt: null, endedAt: null,
});

/** A step gate: each run waits until the test lets that step end (ok or failing). */
function gated() {
  const waiting = new Map<string, { ok: () => void; fail: (e: Error) => void }>();
  const arrivals: ((id: string) => void)[] = [];
  const running = new Map<string, number>();
  let most = 0;
  const perPop = new Map<string, number>();
  return {
    running: () => [...waiting.keys()].sort(),
    most: () => most,
    mostOn: (pop: string) => perPop.get(pop) ?? 0,
    /** Resolves once the given steps are all running. */
    async until(ids: readonly string[]): Promise<void> {
      while (!ids.every((id) => waiting.has(id))) await new Promise<string>((resolve) => arrivals.push(resolve));
    },
    end(id: string, error?: Error): void {
      const w = waiting.get(id);
      if (!w) throw new Error(`${id} is not running`);
      waiting.delete(id);
      if (error) w.fail(error);
      else w.ok();
    },
    run: (s: OpStep): Promise<Record<string, unknown>> => new Promise((resolve, reject) => {
      running.set(s.popId, (running.get(s.popId) ?? 0) + 1);
      perPop.set(s.popId, Math.max(perPop.get(s.popId) ?? 0, running.get(s.popId) ?? 0));
      const done = (): void => void running.set(s.popId, (running.get(s.popId) ?? 1) - 1);
      waiting.set(s.id, { ok: () => (done(), resolve({ id: s.id })), fail: (e) => (done(), reject(e)) });
      most = Math.max(most, waiting.size);
      for (const a of arrivals.splice(0)) a(s.id);
    }),
  };
}

const deps = (run: PhaseDeps['run'], written: string[]): PhaseDeps => ({
  concurrency: 1, deadlineMs: 60_000, signal: new AbortController().signal, now: () => new Date(0),
  finish: async (updates) => void written.push(...updates.map((u) => `${u.step.id} ${u.outcome.state}`)),
  run,
});

describe('runPhaseByKey: one runner per PoP', () => {
  it('runs each PoP at its own concurrency, side by side, in step order within a PoP', async () => {
    const g = gated();
    const written: string[] = [];
    const steps = [step(0, 'a'), step(1, 'a'), step(2, 'b'), step(3, 'a'), step(4, 'b')];
    const phase = runPhaseByKey(steps, deps(g.run, written), (s) => s.popId);
    await g.until(['s0', 's2']);
    expect(g.running()).toEqual(['s0', 's2']);
    g.end('s0');
    await g.until(['s1']);
    g.end('s2');
    await g.until(['s4']);
    g.end('s1');
    await g.until(['s3']);
    g.end('s3');
    g.end('s4');
    await expect(phase).resolves.toEqual({ kind: 'done' });
    expect([g.most(), g.mostOn('a'), g.mostOn('b')]).toEqual([2, 1, 1]);
    expect([...written].sort()).toEqual(['s0 DONE', 's1 DONE', 's2 DONE', 's3 DONE', 's4 DONE']);
  });

  it('a failure on one PoP stops the others launching; what runs finishes; the first failure in step order wins', async () => {
    const g = gated();
    const written: string[] = [];
    const steps = [step(0, 'a'), step(1, 'a'), step(2, 'b'), step(3, 'b')];
    const phase = runPhaseByKey(steps, deps(g.run, written), (s) => s.popId);
    await g.until(['s0', 's2']);
    g.end('s2', new VimError('CONFLICT', 'b', 'b is full'));
    // Once s2's FAILED is written, neither PoP launches another step: s3 never starts, nor s1.
    while (!written.includes('s2 FAILED')) await new Promise((r) => setImmediate(r));
    g.end('s0');
    const result = await phase;
    expect(result).toMatchObject({ kind: 'failed', step: { id: 's2' } });
    expect(g.running()).toEqual([]);
    expect([...written].sort()).toEqual(['s0 DONE', 's2 FAILED']);
  });

  it('one PoP is exactly one runner', async () => {
    const g = gated();
    const phase = runPhaseByKey([step(0, 'a'), step(1, 'a')], { ...deps(g.run, []), concurrency: 2 }, (s) => s.popId);
    await g.until(['s0', 's1']);
    g.end('s1');
    g.end('s0');
    await expect(phase).resolves.toEqual({ kind: 'done' });
    expect(g.mostOn('a')).toBe(2);
  });
});

describe('runGraph: each step as soon as what it needs is DONE and written', () => {
  const slot = { key: 'a', limit: 4 };
  it('starts a step once its needs are written DONE, not at a phase boundary; lower seq first among the ready', async () => {
    const g = gated();
    const written: string[] = [];
    const steps = [step(0, 'a'), step(1, 'a'), step(2, 'a'), step(3, 'a')];
    // s2 needs s0, s3 needs s1 and s2.
    const needs: Record<string, string[]> = { s2: ['s0'], s3: ['s1', 's2'] };
    const run = runGraph(steps, { ...deps(g.run, written), concurrency: 4 }, { needs: (s) => needs[s.id] ?? [], slot: () => slot });
    await g.until(['s0', 's1']);
    g.end('s0');
    // s2 starts while s1 still runs: no phase waits for s1.
    await g.until(['s2']);
    expect(written).toContain('s0 DONE');
    expect(g.running()).toEqual(['s1', 's2']);
    g.end('s2');
    while (!written.includes('s2 DONE')) await new Promise((r) => setImmediate(r));
    expect(g.running()).toEqual(['s1']);
    g.end('s1');
    await g.until(['s3']);
    g.end('s3');
    await expect(run).resolves.toEqual({ kind: 'done' });
    expect(written).toEqual(['s0 DONE', 's2 DONE', 's1 DONE', 's3 DONE']);
  });

  it('a failure starts nothing more, even steps whose needs are met; needs outside the run count as done', async () => {
    const g = gated();
    const written: string[] = [];
    const steps = [step(0, 'a'), step(1, 'a'), step(2, 'a')];
    const needs: Record<string, string[]> = { s0: ['done-before'], s2: ['s0'] };
    const run = runGraph(steps, { ...deps(g.run, written), concurrency: 4 }, { needs: (s) => needs[s.id] ?? [], slot: () => slot });
    await g.until(['s0', 's1']);
    g.end('s1', new VimError('CONFLICT', 'a', 'full'));
    while (!written.includes('s1 FAILED')) await new Promise((r) => setImmediate(r));
    g.end('s0');
    await expect(run).resolves.toMatchObject({ kind: 'failed', step: { id: 's1' } });
    expect(g.running()).toEqual([]);
    expect([...written].sort()).toEqual(['s0 DONE', 's1 FAILED']);
  });

  it('honours each slot\'s limit and a cancel stops further starts', async () => {
    const g = gated();
    let halted = false;
    const steps = [step(0, 'a'), step(1, 'a'), step(2, 'b'), step(3, 'b')];
    const run = runGraph(steps, { ...deps(g.run, []), concurrency: 4, halted: () => halted }, {
      needs: () => [], slot: (s) => ({ key: s.popId, limit: s.popId === 'a' ? 1 : 2 }),
    });
    await g.until(['s0', 's2', 's3']);
    expect(g.running()).toEqual(['s0', 's2', 's3']);
    halted = true;
    g.end('s0');
    g.end('s2');
    g.end('s3');
    await expect(run).resolves.toEqual({ kind: 'cancelled' });
    expect(g.mostOn('a')).toBe(1);
  });

  /** Each write as one line: its outcomes, then its RUNNING marks. */
  const writesInto = (writes: string[]): PhaseDeps['finish'] => async (updates, running) =>
    void writes.push([
      ...updates.map((u) => `${u.step.id} ${u.outcome.state}${u.outcome.startedAt ? ` started ${u.outcome.startedAt.getTime()}` : ''}`),
      ...running.map((r) => `RUNNING ${r.step.id} at ${r.at.getTime()}`),
    ].join(' + '));

  it('marks a running step RUNNING with its start time in the next outcome write; one ending before its mark is written gets one write, its outcome with that start time', async () => {
    const g = gated();
    const writes: string[] = [];
    let clock = 0;
    const steps = [step(0, 'a'), step(1, 'a')];
    // s0 ends within the turn it started in (a memory-VIM step); s1 waits at the gate (a real VIM call).
    const run = runGraph(steps, {
      ...deps((s) => (s.id === 's0' ? Promise.resolve({ id: 's0' }) : g.run(s)), []),
      concurrency: 2, now: () => new Date(++clock), markDelayMs: 60_000,
      finish: writesInto(writes),
    }, { needs: () => [], slot: () => slot });
    await g.until(['s1']);
    while (writes.length < 1) await new Promise((r) => setImmediate(r));
    // One statement: s0's outcome carrying its start (1), and s1's mark (started at 2) riding with it.
    expect(writes).toEqual(['s0 DONE started 1 + RUNNING s1 at 2']);
    g.end('s1');
    await expect(run).resolves.toEqual({ kind: 'done' });
    expect(writes).toEqual(['s0 DONE started 1 + RUNNING s1 at 2', 's1 DONE']);
  });

  it('writes RUNNING marks alone after markDelayMs when no outcome comes to ride with', async () => {
    const g = gated();
    const writes: string[] = [];
    let clock = 0;
    const run = runGraph([step(0, 'a'), step(1, 'a')], { ...deps(g.run, []), concurrency: 2, now: () => new Date(++clock), markDelayMs: 0, finish: writesInto(writes) }, { needs: () => [], slot: () => slot });
    await g.until(['s0', 's1']);
    while (writes.length < 1) await new Promise((r) => setTimeout(r, 1));
    expect(writes).toEqual(['RUNNING s0 at 1 + RUNNING s1 at 2']);
    g.end('s0');
    g.end('s1');
    await expect(run).resolves.toEqual({ kind: 'done' });
    expect(writes.slice(1).join(' + ').split(' + ').sort()).toEqual(['s0 DONE', 's1 DONE']);
  });
});
