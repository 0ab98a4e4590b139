import { describe, expect, it } from 'vitest';
import type { VimAccount } from '../model/index.js';
import { chainNsd, chainVnfds } from '../../test/support/tango-chain.js';
import { downPops, placeNs } from './ns-placement.js';
import type { PopProbe } from './ns-placement.js';

const account = (id: string, endpoint: string): VimAccount => ({
  id, name: id, type: 'memory', endpoint, capacity: null, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z',
});
const dc1 = account('dc1', 'memory://a');
const dc2 = account('dc2', 'memory://a');
const dc3 = account('dc3', 'memory://b');
const MEMBERS = ['client', 'firewall', 'server', 'mgmt', 'input', 'output'];
const all = (pop: string): Record<string, string> => Object.fromEntries(MEMBERS.map((m) => [m, pop]));

describe('downPops', () => {
  const probe: PopProbe = { dc1: { up: true, capacity: null }, dc2: { up: false, reason: 'TIMEOUT: no answer' }, dc3: { up: true, capacity: null } };

  it('lists the PoPs the probe found down, and skips none when every PoP is down', () => {
    expect(downPops([dc1, dc2, dc3], probe)).toEqual([{ popId: 'dc2', reason: 'TIMEOUT: no answer' }]);
    expect(downPops([dc2], probe)).toEqual([]);
    // Not probed: taken as up.
    expect(downPops([dc1, dc2, dc3], {})).toEqual([]);
  });

  it('refuses a pin to a PoP that is down with 409 PLACEMENT_POP_DOWN naming member, PoP and reason', () => {
    expect(() => downPops([dc1, dc2, dc3], probe, { firewall: 'dc2' })).toThrow(
      expect.objectContaining({ code: 'PLACEMENT_POP_DOWN', status: 409, details: { member: 'firewall', popId: 'dc2', reason: 'TIMEOUT: no answer' } }),
    );
    // Every PoP down: nothing to fall back on; the operation's first step will say why.
    expect(downPops([dc2], probe, { firewall: 'dc2' })).toEqual([]);
  });
});

describe('placeNs with a probe', () => {
  it('leaves down PoPs out of every strategy', () => {
    const probe: PopProbe = { dc1: { up: false, reason: 'CONNECTION: refused' }, dc2: { up: false, reason: 'CONNECTION: refused' }, dc3: { up: true, capacity: null } };
    expect(placeNs(chainNsd, chainVnfds, [dc1, dc2, dc3], {}, 'round-robin', {}, { probe })).toEqual(all('dc3'));
    expect(placeNs(chainNsd, chainVnfds, [dc1, dc2, dc3], {}, 'first-pop', {}, { probe })).toEqual(all('dc3'));
  });

  it('charges an engine with the use of every PoP on it, even PoPs this request may not use', () => {
    // Engine a: 2 CPUs; dc2 (not offered to this request) already holds 1; the chain needs 1.5 (3 × cpuBw 0.5).
    const probe: PopProbe = { dc1: { up: true, capacity: { cpu: 2, memoryMiB: 8192 } }, dc3: { up: true, capacity: { cpu: 4, memoryMiB: 8192 } } };
    const usage = { dc2: { cpu: 1, memoryMiB: 256 } };
    const placed = placeNs(chainNsd, chainVnfds, [dc1, dc3], usage, 'capacity-aware', {}, { probe, allAccounts: [dc1, dc2, dc3] });
    expect(placed).toMatchObject({ client: 'dc1', firewall: 'dc1', server: 'dc3' });
    // Counting only the usable PoPs, engine a would look free enough for the whole chain.
    expect(placeNs(chainNsd, chainVnfds, [dc1, dc3], usage, 'capacity-aware', {}, { probe })).toMatchObject(all('dc1'));
  });
});
