import { describe, expect, it } from 'vitest';
import { tbfBurstBytes, tunnelMac, tunnelPeersScript, tunnelSetupScript } from './docker-tunnel.js';
import { vniOf } from '../../ipam/index.js';

describe('tunnel helper scripts', () => {
  it('sets up a bridge of the segment interface and a VXLAN without learning, once', () => {
    const s = tunnelSetupScript({ segmentAddress: '10.30.0.3', underlayAddress: '172.31.221.2', vni: 0x1e0000 + 8, mac: tunnelMac('rondo-x-l-tun') });
    expect(s).toContain("grep ' inet 10\\.30\\.0\\.3/'");
    expect(s).toContain('/sbin/ip link add vx0 type vxlan id 1966088 dstport 4789 dev "$und" nolearning');
    expect(s).toContain('/sbin/ip link set "$seg" master br0');
    expect(s.split('\n')[1]).toBe('[ -e /tmp/rondo-tunnel-ready ] && exit 0');
    expect(() => tunnelSetupScript({ segmentAddress: '10.0.0.1; rm -rf /', underlayAddress: '1.2.3.4', vni: 1, mac: '02:00:00:00:00:01' })).toThrow(/not an IPv4/);
    expect(() => tunnelSetupScript({ segmentAddress: '10.0.0.1', underlayAddress: '1.2.3.4', vni: 0, mac: '02:00:00:00:00:01' })).toThrow(/VNI/);
  });

  it('replaces the peers (head-end replication) and the token bucket', () => {
    const s = tunnelPeersScript(['172.31.222.2', '172.31.223.2'], 10);
    expect(s).toContain('/sbin/bridge fdb append 00:00:00:00:00:00 dev vx0 dst 172.31.222.2');
    expect(s).toContain('/sbin/bridge fdb append 00:00:00:00:00:00 dev vx0 dst 172.31.223.2');
    expect(s).toContain('/sbin/tc qdisc add dev vx0 root tbf rate 10000kbit burst 32768 latency 100ms');
    expect(tunnelPeersScript(['172.31.222.2'])).not.toContain('tbf');
    expect(tbfBurstBytes(1000)).toBe(1_250_000);
    expect(() => tunnelPeersScript(['x'])).toThrow(/not an IPv4/);
  });

  it('gives helpers locally administered unicast MACs', () => {
    expect(tunnelMac('a')).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(tunnelMac('a')).not.toBe(tunnelMac('b'));
  });

  it('derives a link\'s VNI from its IPAM subnet (distinct for distinct subnets of the pools)', () => {
    expect(vniOf('10.30.0.8/29')).toBe(0x1e0008);
    expect(vniOf('10.10.0.8/29')).not.toBe(vniOf('10.30.0.8/29'));
    expect(() => vniOf('192.168.0.0/24')).toThrow(/no VNI/);
  });
});
