import { describe, expect, it } from 'vitest';
import { moveAddresses, subnetMoves } from './plan-store.js';

describe('moveAddresses (re-addressing a stored plan)', () => {
  const moves = subnetMoves(
    [
      { nsInstanceId: 'ns', linkId: 'mgmt', pool: 'elan', subnet: '10.20.0.0/24', index: 0 },
      { nsInstanceId: 'ns', linkId: 'in', pool: 'sap', subnet: '10.10.0.0/29', index: 0 },
      { nsInstanceId: 'ns', linkId: 'keep', pool: 'eline', subnet: '10.30.0.0/30', index: 0 },
    ],
    [
      { nsInstanceId: 'ns', linkId: 'mgmt', pool: 'elan', subnet: '10.20.5.0/24', index: 5 },
      { nsInstanceId: 'ns', linkId: 'in', pool: 'sap', subnet: '10.10.0.16/29', index: 2 },
      { nsInstanceId: 'ns', linkId: 'keep', pool: 'eline', subnet: '10.30.0.0/30', index: 0 },
    ],
  );

  it('moves only the links whose subnet changed', () => {
    expect(moves).toEqual([{ from: '10.20.0.0/24', to: '10.20.5.0/24' }, { from: '10.10.0.0/29', to: '10.10.0.16/29' }]);
  });

  it('moves every address of a moved subnet to the same offset, in any string, and leaves the others', () => {
    const params = {
      subnet: '10.20.0.0/24', gateway: '10.20.0.1',
      interfaces: [{ address: '10.20.0.4', prefix: 24 }, { address: '10.30.0.2', prefix: 30 }],
      routes: [{ dest: '10.10.0.0/29', via: '10.20.0.9' }],
      env: { PEER: 'http://10.10.0.3:80/x', OTHER: '192.168.1.7', NAME: 'v1.2.3.4x' },
      count: 3, flag: true, none: null,
    };
    expect(moveAddresses(params, moves)).toEqual({
      subnet: '10.20.5.0/24', gateway: '10.20.5.1',
      interfaces: [{ address: '10.20.5.4', prefix: 24 }, { address: '10.30.0.2', prefix: 30 }],
      routes: [{ dest: '10.10.0.16/29', via: '10.20.5.9' }],
      env: { PEER: 'http://10.10.0.19:80/x', OTHER: '192.168.1.7', NAME: 'v1.2.3.4x' },
      count: 3, flag: true, none: null,
    });
  });
});
