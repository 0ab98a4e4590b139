import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { VirtualLink } from '../model/index.js';
import { placeMembers, roomOf } from './index.js';
import type { PlacementPop } from './index.js';

const pops = (...ids: string[]): PlacementPop[] => ids.map((id) => ({ id, capacity: { cpu: 4, memoryMiB: 4096 }, used: { cpu: 0, memoryMiB: 0 } }));
const vnfs = ['a', 'b', 'c'].map((id) => ({ id, demand: { cpu: 1, memoryMiB: 512 } }));
const links: VirtualLink[] = [
  { id: 'l1', type: 'E-Line', management: false, cpRefs: [{ kind: 'sap', sap: 'in' }, { kind: 'vnf', vnfId: 'b', cp: 'x' }] },
  { id: 'l2', type: 'E-LAN', management: false, cpRefs: [{ kind: 'sap', sap: 'lan' }, { kind: 'vnf', vnfId: 'c', cp: 'x' }, { kind: 'vnf', vnfId: 'a', cp: 'x' }] },
];
const input = { vnfs, saps: ['in', 'lan', 'lonely'], links, pops: pops('dc1', 'dc2') };

describe('placeMembers', () => {
  it('first-pop puts everything on the first PoP', () => {
    expect(placeMembers('first-pop', input)).toEqual({ a: 'dc1', b: 'dc1', c: 'dc1', in: 'dc1', lan: 'dc1', lonely: 'dc1' });
  });

  it('round-robin treats SAPs like VNFs', () => {
    expect(placeMembers('round-robin', input)).toEqual({ a: 'dc1', b: 'dc2', c: 'dc1', in: 'dc2', lan: 'dc1', lonely: 'dc2' });
  });

  it('round-robin-with-saps puts E-Line SAPs next to their VNF and E-LAN SAPs next to the first VNF on the LAN', () => {
    expect(placeMembers('round-robin-with-saps', input)).toEqual({ a: 'dc1', b: 'dc2', c: 'dc1', in: 'dc2', lan: 'dc1', lonely: 'dc1' });
  });

  it('pins win over the strategy and SAPs follow pinned VNFs', () => {
    expect(placeMembers('round-robin-with-saps', { ...input, pins: { b: 'dc1', lonely: 'dc2' } })).toMatchObject({ b: 'dc1', in: 'dc1', lonely: 'dc2' });
  });

  it('rejects pins to unknown PoPs or members (400)', () => {
    expect(() => placeMembers('first-pop', { ...input, pins: { a: 'dc9' } })).toThrow(expect.objectContaining({ code: 'PLACEMENT_UNKNOWN_POP', status: 400 }));
    expect(() => placeMembers('first-pop', { ...input, pins: { zz: 'dc1' } })).toThrow(expect.objectContaining({ code: 'PLACEMENT_UNKNOWN_MEMBER', status: 400 }));
    expect(() => placeMembers('first-pop', { ...input, pops: [] })).toThrow(expect.objectContaining({ code: 'PLACEMENT_NO_POPS' }));
  });

  it('capacity-aware fills PoPs first-fit given what is already used', () => {
    const p = [{ id: 'dc1', capacity: { cpu: 4, memoryMiB: 4096 }, used: { cpu: 2.5, memoryMiB: 0 } }, ...pops('dc2')];
    expect(placeMembers('capacity-aware', { ...input, pops: p })).toMatchObject({ a: 'dc1', b: 'dc2', c: 'dc2', in: 'dc2' });
  });

  it('capacity-aware throws 409 PLACEMENT_NO_CAPACITY naming the VNF and the biggest free PoP', () => {
    const p = [{ id: 'dc1', capacity: { cpu: 2, memoryMiB: 4096 }, used: { cpu: 1.5, memoryMiB: 0 } }, { id: 'dc2', capacity: { cpu: 2, memoryMiB: 4096 }, used: { cpu: 1, memoryMiB: 0 } }];
    const big = [{ id: 'huge', demand: { cpu: 1.5, memoryMiB: 100 } }];
    expect(() => placeMembers('capacity-aware', { ...input, vnfs: big, saps: [], pops: p })).toThrow(
      expect.objectContaining({ code: 'PLACEMENT_NO_CAPACITY', status: 409, details: expect.objectContaining({ vnfId: 'huge', biggestFreePop: { id: 'dc2', free: { cpu: 1, memoryMiB: 4096 } } }) }),
    );
  });

  it('room of a PoP: the smaller of its own limit and its engine\'s, less what this NS added to each', () => {
    const engine = { id: 'e', capacity: { cpu: 4, memoryMiB: 4096 }, used: { cpu: 3, memoryMiB: 1024 } };
    expect(roomOf({ id: 'p', capacity: null, used: { cpu: 0, memoryMiB: 0 } }, undefined)).toEqual({ cpu: Infinity, memoryMiB: Infinity });
    expect(roomOf({ id: 'p', capacity: null, used: { cpu: 0, memoryMiB: 0 }, engine: 'e' }, engine)).toEqual({ cpu: 1, memoryMiB: 3072 });
    // Its own limit is tighter on memory, the engine on CPU.
    expect(roomOf({ id: 'p', capacity: { cpu: 8, memoryMiB: 2048 }, used: { cpu: 0, memoryMiB: 512 }, engine: 'e' }, engine)).toEqual({ cpu: 1, memoryMiB: 1536 });
    expect(roomOf({ id: 'p', capacity: { cpu: 8, memoryMiB: 2048 }, used: { cpu: 0, memoryMiB: 512 }, engine: 'e' }, engine, { cpu: 1, memoryMiB: 100 }, { cpu: 0.5, memoryMiB: 0 })).toEqual({ cpu: 0.5, memoryMiB: 1436 });
  });

  it('capacity-aware: PoPs on one engine share its capacity; what this NS puts on one is gone for the other', () => {
    const engines = [{ id: 'a', capacity: { cpu: 2, memoryMiB: 4096 }, used: { cpu: 0.5, memoryMiB: 0 } }, { id: 'b', capacity: { cpu: 8, memoryMiB: 8192 }, used: { cpu: 0, memoryMiB: 0 } }];
    // Each PoP's own limit is the whole engine (as if it were counted once per PoP).
    const p = [
      { id: 'dc1', capacity: { cpu: 2, memoryMiB: 4096 }, used: { cpu: 0.5, memoryMiB: 0 }, engine: 'a' },
      { id: 'dc2', capacity: { cpu: 2, memoryMiB: 4096 }, used: { cpu: 0, memoryMiB: 0 }, engine: 'a' },
      { id: 'dc3', capacity: { cpu: 8, memoryMiB: 8192 }, used: { cpu: 0, memoryMiB: 0 }, engine: 'b' },
    ];
    // a takes 1 of engine a's 1.5 free CPUs; b fits neither dc1 nor dc2 (0.5 left on their engine): dc3, and c with it.
    expect(placeMembers('capacity-aware', { ...input, saps: [], pops: p, engines })).toEqual({ a: 'dc1', b: 'dc3', c: 'dc3' });
    // Without the engines, dc2 would look empty and take b and c.
    expect(placeMembers('capacity-aware', { ...input, saps: [], pops: p.map(({ engine: _e, ...q }) => q) })).toEqual({ a: 'dc1', b: 'dc2', c: 'dc2' });
    // Pinned to a full engine: 409 naming the VNF.
    expect(() => placeMembers('capacity-aware', { ...input, saps: [], pops: p, engines, pins: { a: 'dc2', b: 'dc1' } })).toThrow(expect.objectContaining({ code: 'PLACEMENT_NO_CAPACITY', details: expect.objectContaining({ vnfId: 'b' }) }));
  });

  it('capacity-aware never overfills a PoP (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 4 }), mem: fc.integer({ min: 1, max: 4 }) }), { maxLength: 20 }), (demands) => {
        const vs = demands.map((d, i) => ({ id: `v${i}`, demand: { cpu: d.cpu, memoryMiB: d.mem * 256 } }));
        const ps = pops('p1', 'p2', 'p3');
        let placed: Record<string, string>;
        try {
          placed = { ...placeMembers('capacity-aware', { vnfs: vs, saps: [], links: [], pops: ps }) };
        } catch (e) {
          expect((e as { code?: string }).code).toBe('PLACEMENT_NO_CAPACITY');
          return;
        }
        for (const p of ps) {
          const mine = vs.filter((v) => placed[v.id] === p.id);
          expect(mine.reduce((s, v) => s + v.demand.cpu, 0)).toBeLessThanOrEqual(4);
          expect(mine.reduce((s, v) => s + v.demand.memoryMiB, 0)).toBeLessThanOrEqual(4096);
        }
      }),
    );
  });
});
