import { describe, expect, it } from 'vitest';
import type { VimAccount } from '../model/index.js';
import { chainNsd, chainVnfds } from '../../test/support/tango-chain.js';
import { containerImage, planNs, requireNoKubernetesWorkload } from './ns-planner.js';
import { placeNs, subnetRequests } from './ns-placement.js';
import type { CommandStepParams, ComputeStepParams, RouteStepParams } from './ns-plan-types.js';
import { subnetAt } from '../ipam/index.js';

const account = (id: string, endpoint = 'memory://engine-a'): VimAccount => ({
  id, name: id, type: 'memory', endpoint, capacity: { cpu: 8, memoryMiB: 8192 }, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z',
});
const NS = '0123456789abcdef';

function plan(accounts: VimAccount[], strategy: 'round-robin-with-saps' | 'round-robin' = 'round-robin-with-saps') {
  const placement = placeNs(chainNsd, chainVnfds, accounts, {}, strategy);
  const counters = { sap: 0, elan: 0, eline: 0 };
  const subnets = new Map(subnetRequests(chainNsd).map((r) => [r.linkId, subnetAt(r.pool, counters[r.pool]++)]));
  return planNs({ nsInstanceId: NS, nsd: chainNsd, vnfds: chainVnfds, accounts, placement, subnets });
}

describe('planNs on the example chain', () => {
  const p = plan([account('dc1'), account('dc2')]);
  const compute = (name: string) => p.computes.find((c) => c.name === `rondo-87bc333d-${name}`) as ComputeStepParams;
  const routes = (name: string) => (p.steps.find((s) => s.kind === 'route' && s.target === `rondo-87bc333d-${name}`)?.params as RouteStepParams | undefined)?.routes ?? [];

  it('places VNFs round robin and SAPs next to their VNF', () => {
    expect(p.placement).toEqual({ client: 'dc1', firewall: 'dc2', server: 'dc1', input: 'dc1', output: 'dc1', mgmt: 'dc1' });
  });

  it('plans networks, then computes, then routes, then starts', () => {
    expect(p.steps.map((s) => `${s.phase}:${s.kind}`)).toEqual([
      ...Array(5).fill('0:network'), ...Array(6).fill('1:compute'), ...Array(5).fill('2:route'), ...Array(2).fill('3:start'),
    ]);
    expect(p.networks.map((n) => [n.name, n.subnet])).toEqual([
      ['rondo-87bc333d-mgmt', '10.20.0.0/24'],
      ['rondo-87bc333d-input-2-client', '10.10.0.0/29'],
      ['rondo-87bc333d-client-2-fw', '10.30.0.0/29'],
      ['rondo-87bc333d-fw-2-server', '10.20.1.0/24'],
      ['rondo-87bc333d-server-2-output', '10.10.0.8/29'],
    ]);
  });

  it('gives computes their resources, env, and interfaces with fixed addresses in CP order', () => {
    const fw = compute('firewall');
    expect(fw).toMatchObject({ image: 'vnf/firewall:latest', vcpus: 1, cpuBw: 0.5, memoryMiB: 256, memberKind: 'vnf' });
    expect(fw.env).toMatchObject({ RONDO_NS: NS, RONDO_VNF: 'firewall' });
    expect(fw.interfaces.map((i) => [i.cp, i.address])).toEqual([['mgmt', '10.20.0.4'], ['input', '10.30.0.3'], ['output', '10.20.1.2']]);
    const input = compute('input');
    expect(input).toMatchObject({ image: 'vnf/sap:latest', memberKind: 'sap' });
    expect(input.interfaces.map((i) => i.address)).toEqual(['10.10.0.2']);
    expect(compute('server').env['SON_EMU_CMD']).toBe('httpd -p 80');
  });

  it('chains input → client → firewall → server → output, both directions', () => {
    expect(routes('input')).toEqual([{ dest: '10.10.0.8/29', via: '10.10.0.3', viaLinkId: 'input-2-client' }]);
    expect(routes('client')).toEqual([{ dest: '10.10.0.8/29', via: '10.30.0.3', viaLinkId: 'client-2-fw' }]);
    expect(routes('firewall')).toEqual([
      { dest: '10.10.0.8/29', via: '10.20.1.3', viaLinkId: 'fw-2-server' },
      { dest: '10.10.0.0/29', via: '10.30.0.2', viaLinkId: 'client-2-fw' },
    ]);
    expect(routes('server')).toEqual([{ dest: '10.10.0.0/29', via: '10.20.1.2', viaLinkId: 'fw-2-server' }]);
    expect(routes('output')).toEqual([{ dest: '10.10.0.0/29', via: '10.10.0.10', viaLinkId: 'server-2-output' }]);
  });

  it('runs the SON_EMU_CMD once and VNFD start commands in their VNF', () => {
    const starts = p.steps.filter((s) => s.kind === 'start').map((s) => [s.target, (s.params as CommandStepParams).commands]);
    expect(starts).toEqual([
      ['rondo-87bc333d-firewall', ['iptables -A FORWARD -j ACCEPT']],
      ['rondo-87bc333d-server', ['httpd -p 80']],
    ]);
  });

  it('joins PoPs of different engines by tunnels, keeping each link\'s one subnet and every address', () => {
    const split = plan([account('dc1', 'memory://a'), account('dc2', 'memory://b')]);
    expect(split.steps.filter((s) => s.kind === 'tunnel').map((s) => s.target)).toEqual(['rondo-87bc333d-mgmt-tun', 'rondo-87bc333d-client-2-fw-tun', 'rondo-87bc333d-fw-2-server-tun']);
    expect(split.computes).toEqual(p.computes);
    const routes = (x: typeof p) => x.steps.filter((s) => s.kind === 'route').map(({ seq: _s, ...s }) => s);
    expect(routes(split)).toEqual(routes(p));
  });

  it('refuses a link between PoPs of different VIM types (409 PLAN_CROSS_VIM_LINK)', () => {
    const docker: VimAccount = { ...account('dc2', 'unix:///var/run/docker.sock'), type: 'docker' };
    expect(() => plan([account('dc1', 'memory://a'), docker])).toThrow(expect.objectContaining({ code: 'PLAN_CROSS_VIM_LINK', status: 409 }));
  });
});

describe('images on container PoPs (VM images of SOL006/OSM VNFDs)', () => {
  const docker = (config: Record<string, unknown> = {}): VimAccount => ({ ...account('dc1'), type: 'docker', endpoint: 'unix:///var/run/docker.sock', config });
  const vdu = { id: 'vm', image: 'ubuntu20.04', imageFormat: 'qcow2', vcpus: 1, memoryMiB: 1024, connectionPoints: [], alternativeImages: [{ vimType: 'aws', image: 'ami-1' }, { vimType: 'docker', image: 'ubuntu-docker' }] };

  it('maps a VM image through the PoP\'s image map, preferring the alternative for the PoP\'s VIM type', () => {
    expect(containerImage('1', { ...vdu, alternativeImages: [] }, docker({ imageMap: { 'ubuntu20.04': 'vnf/busybox:latest' } }))).toBe('vnf/busybox:latest');
    expect(containerImage('1', vdu, docker({ imageMap: { 'ubuntu-docker': 'vnf/ubuntu:latest', 'ubuntu20.04': 'x' } }))).toBe('vnf/ubuntu:latest');
    // A container image runs as named; the memory VIM runs any name.
    expect(containerImage('1', { ...vdu, image: 'vnf/relay:latest', imageFormat: 'docker', alternativeImages: [] }, docker())).toBe('vnf/relay:latest');
    expect(containerImage('1', { ...vdu, alternativeImages: [] }, account('mem'))).toBe('ubuntu20.04');
  });

  it('refuses an unmapped VM image on Docker with a 422 naming the image and the PoP', () => {
    let e: unknown;
    try {
      containerImage('1', { ...vdu, alternativeImages: [] }, docker({ imageMap: { other: 'x' } }));
    } catch (x) {
      e = x;
    }
    expect(e).toMatchObject({ code: 'PLAN_IMAGE_UNMAPPED', status: 422, details: { image: 'ubuntu20.04', popId: 'dc1', vnfId: '1', vduId: 'vm' } });
    expect((e as Error).message).toContain('rondo vim update dc1 --image-map ubuntu20.04=<container image>');
  });

  it('refuses a Kubernetes workload (a KNF) on any PoP Rondo has', () => {
    const knf = { ...chainVnfds['client']!, descriptorId: 'knf', vdus: [{ ...vdu, id: 'ldap', image: 'stable/openldap', imageFormat: 'helm-chart' }] };
    expect(() => requireNoKubernetesWorkload('openldap', knf, docker())).toThrow(/VNF openldap \(knf\) is a Kubernetes workload \(helm-chart stable\/openldap of ldap\): it needs a Kubernetes PoP/);
    expect(() => requireNoKubernetesWorkload('client', chainVnfds['client']!, docker())).not.toThrow();
  });
});
