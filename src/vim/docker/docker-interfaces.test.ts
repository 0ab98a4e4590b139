import { describe, expect, it } from 'vitest';
import { parseAddresses, renameScript } from './docker-interfaces.js';

const listing = [
  '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
  '40: eth1    inet 10.0.2.5/24 brd 10.0.2.255 scope global eth1\\       valid_lft forever preferred_lft forever',
  '38: eth0    inet 10.0.1.5/24 brd 10.0.1.255 scope global eth0\\       valid_lft forever preferred_lft forever',
].join('\n');
const want = (...names: string[]) => names.map((ifName, i) => ({ network: `n${i}`, address: `10.0.${i + 1}.5`, ifName }));

describe('interface naming', () => {
  it('parses ip -o -4 addr show', () => {
    expect([...parseAddresses(listing)]).toEqual([['127.0.0.1', 'lo'], ['10.0.2.5', 'eth1'], ['10.0.1.5', 'eth0']]);
  });

  it('renames nothing when the names already follow spec order', () => {
    expect(renameScript(parseAddresses(listing), want('eth0', 'eth1'))).toBeNull();
  });

  it('swaps through temporary names and restores the default route', () => {
    const script = renameScript(parseAddresses(listing), want('eth1', 'eth0')) ?? '';
    expect(script.split('\n')).toEqual([
      'set -e', 'DEF=$(ip route show default | head -n 1)',
      'ip link set dev eth0 down', 'ip link set dev eth0 name rondotmp0',
      'ip link set dev eth1 down', 'ip link set dev eth1 name rondotmp1',
      'ip link set dev rondotmp0 name eth1', 'ip link set dev eth1 up',
      'ip link set dev rondotmp1 name eth0', 'ip link set dev eth0 up',
      'if [ -n "$DEF" ] && [ -z "$(ip route show default)" ]; then ip route add $DEF; fi',
    ]);
  });

  it('refuses names a shell would interpret and addresses on no interface', () => {
    expect(() => renameScript(parseAddresses(listing), want('eth0', 'x;reboot'))).toThrow(/valid Linux name/);
    expect(() => renameScript(new Map(), want('eth0'))).toThrow(/on no interface/);
  });
});
