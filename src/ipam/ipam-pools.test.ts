import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addressLink, gatewayOf, hostAddresses, overlappedIndexes, pickFreeIndexes, poolForLink, subnetAt, subnetCount, parseCidr } from './index.js';
import type { VirtualLink } from '../model/index.js';

const link = (type: VirtualLink['type'], refs: string[], management = false): VirtualLink => ({
  id: 'l', type, management, cpRefs: refs.map((r) => (r.includes(':') ? { kind: 'vnf', vnfId: r.split(':')[0] as string, cp: r.split(':')[1] as string } : { kind: 'sap', sap: r })),
});

describe('ipam pools', () => {
  it('finds the subnets of a pool that networks already on a VIM overlap', () => {
    expect(overlappedIndexes('sap', ['10.10.0.0/29'])).toEqual([0]);
    // A /24 covers 32 /29s; a /30 inside the third /29 covers that one only.
    expect(overlappedIndexes('sap', ['10.10.1.0/24', '10.10.0.20/30'])).toEqual([2, ...Array.from({ length: 32 }, (_, i) => 32 + i)]);
    // Host bits are ignored; a block wider than the pool covers all of it; outside ones none.
    expect(overlappedIndexes('elan', ['10.20.3.7/24'])).toEqual([3]);
    expect(overlappedIndexes('elan', ['10.0.0.0/8'])).toHaveLength(256);
    expect(overlappedIndexes('elan', ['172.17.0.0/16', '10.10.0.0/29', 'fd00::/64', 'junk'])).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8191 }), (i) => {
        expect(overlappedIndexes('eline', [subnetAt('eline', i)])).toEqual([i]);
      }),
    );
  });

  it('cuts the pools into /29s and /24s', () => {
    expect(subnetCount('sap')).toBe(8192);
    expect(subnetCount('eline')).toBe(8192);
    expect(subnetCount('elan')).toBe(256);
    expect(subnetAt('sap', 0)).toBe('10.10.0.0/29');
    expect(subnetAt('eline', 33)).toBe('10.30.1.8/29');
    expect(subnetAt('elan', 255)).toBe('10.20.255.0/24');
    expect(() => subnetAt('elan', 256)).toThrow(RangeError);
  });

  it('chooses the pool by link type', () => {
    expect(poolForLink(link('E-Line', ['a:x', 'b:y']))).toBe('eline');
    expect(poolForLink(link('E-Line', ['in', 'b:y']))).toBe('sap');
    expect(poolForLink(link('E-LAN', ['in', 'b:y']))).toBe('elan');
    expect(poolForLink(link('E-Line', ['a:x', 'b:y'], true))).toBe('elan');
  });

  it('gives .1 to the gateway and hosts from .2 in CP-reference order', () => {
    const a = addressLink(link('E-LAN', ['mgmt', 'a:m', 'b:m']), '10.20.3.0/24');
    expect(a.gateway).toBe('10.20.3.1');
    expect([...a.addresses.entries()]).toEqual([['mgmt', '10.20.3.2'], ['a:m', '10.20.3.3'], ['b:m', '10.20.3.4']]);
    expect(gatewayOf('10.30.0.8/29')).toBe('10.30.0.9');
    expect(() => hostAddresses('10.30.0.8/29', 6)).toThrow(RangeError);
    expect(hostAddresses('10.30.0.8/29', 5).at(-1)).toBe('10.30.0.14');
  });

  it('subnets of a pool never overlap (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('sap', 'elan', 'eline' as const), fc.nat(8191), fc.nat(8191), (pool, i, j) => {
        const n = subnetCount(pool);
        const [a, b] = [i % n, j % n];
        const ca = parseCidr(subnetAt(pool, a));
        const cb = parseCidr(subnetAt(pool, b));
        return a === b ? ca.network === cb.network : ca.network !== cb.network;
      }),
    );
  });

  it('pickFreeIndexes returns ascending, unique, unused indexes (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(199)), fc.nat(50), fc.nat(10), (usedRaw, count, skip) => {
        const used = [...usedRaw].sort((a, b) => a - b);
        const free = pickFreeIndexes(used, count, 200, skip);
        const usedSet = new Set(used);
        expect(free.every((i) => !usedSet.has(i) && i >= 0 && i < 200)).toBe(true);
        expect(new Set(free).size).toBe(free.length);
        expect(free).toEqual([...free].sort((a, b) => a - b));
        expect(free.length).toBe(Math.min(count, Math.max(0, 200 - used.length - skip)));
      }),
    );
  });
});
