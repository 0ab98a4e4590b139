import { describe, expect, it } from 'vitest';
import { routeCommands } from './service-chain.js';

describe('routeCommands', () => {
  it('one next hop: one `ip route replace`, as at instantiation', () => {
    expect(routeCommands({ dest: '10.20.5.0/24', via: '10.30.0.3', viaLinkId: 'l' }, 'eth1')).toEqual([['ip', 'route', 'replace', '10.20.5.0/24', 'via', '10.30.0.3', 'dev', 'eth1']]);
  });

  it('several next hops: the covering route, then 16 blocks, block j via hop j mod n, in one exec', () => {
    const [first, blocks] = routeCommands({ dest: '10.20.5.0/24', via: '10.30.0.3', viaLinkId: 'l', nexthops: ['10.30.0.3', '10.30.0.4'] });
    expect(first).toEqual(['ip', 'route', 'replace', '10.20.5.0/24', 'via', '10.30.0.3']);
    const parts = (blocks?.[2] ?? '').split(' && ');
    expect(parts).toHaveLength(16);
    expect(parts.slice(0, 3)).toEqual(['ip route replace 10.20.5.0/28 via 10.30.0.3', 'ip route replace 10.20.5.16/28 via 10.30.0.4', 'ip route replace 10.20.5.32/28 via 10.30.0.3']);
  });

  it('a small subnet is cut into as many blocks as it has addresses; one hop left deletes the blocks', () => {
    const [, blocks] = routeCommands({ dest: '10.30.0.8/29', via: 'a', viaLinkId: 'l', nexthops: ['a', 'b', 'c'] });
    expect((blocks?.[2] ?? '').split(' && ')).toHaveLength(8);
    const [, del] = routeCommands({ dest: '10.30.0.8/29', via: 'a', viaLinkId: 'l', nexthops: ['a'] });
    expect(del?.[2]).toMatch(/^ip route del 10\.30\.0\.8\/32 2>\/dev\/null; .*ip route del 10\.30\.0\.15\/32 2>\/dev\/null; true$/);
  });
});
