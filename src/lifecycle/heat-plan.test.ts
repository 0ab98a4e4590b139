import { describe, expect, it } from 'vitest';
import { translateVnfdToHot } from '../descriptors/etsi/hot/index.js';
import type { Nsd, VimAccount, Vnfd } from '../model/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readSol001Nsd, readSol001Vnfd } from '../descriptors/index.js';
import type { ImportResolver } from '../descriptors/index.js';
import { ok } from '../model/index.js';
import { planNs } from './ns-planner.js';
import type { StackStepParams } from './heat-plan.js';
import { planTerminate } from './terminate-planner.js';

const account = (id: string, type: VimAccount['type'], endpoint: string): VimAccount => ({
  id, name: id, type, endpoint, capacity: null, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z',
});
const NS = '0123456789abcdef';
const DIR = 'examples/sol004-csar/Definitions';
const hot = translateVnfdToHot(`${DIR}/relay_top.vnfd.yaml`);
const subnets = new Map([['vl_in', '10.30.0.0/29'], ['vl_out', '10.20.0.0/24']]);
const os = account('os1', 'openstack', 'http://keystone/v3');

async function descriptors(): Promise<{ nsd: Nsd; vnfd: Vnfd }> {
  const text = (f: string): unknown => parse(readFileSync(`${DIR}/${f.split('/').pop() as string}`, 'utf8'));
  const resolver: ImportResolver = (path) => (existsSync(`${DIR}/${path.split('/').pop() as string}`) ? ok(text(path)) : undefined);
  const nsd = readSol001Nsd(text('relay_ns.nsd.yaml'), 'Definitions/relay_ns.nsd.yaml', resolver);
  const vnfd = readSol001Vnfd(text('relay_top.vnfd.yaml'), 'Definitions/relay_top.vnfd.yaml', resolver);
  if (!nsd.ok || !vnfd.ok) throw new Error(`example descriptors do not read: ${JSON.stringify([nsd, vnfd].flatMap((r) => (r.ok ? [] : r.error)))}`);
  return { nsd: nsd.value, vnfd: vnfd.value };
}

describe('planNs with a VNF on an OpenStack PoP (Heat path)', () => {
  it('emits one stack step carrying the HOT with the NS networks, IPAM addresses, server names and lifted outputs', async () => {
    const { nsd, vnfd } = await descriptors();
    const placement = { relay: 'os1', sap_in: 'os1', sap_out: 'os1' };
    const p = planNs({ nsInstanceId: NS, nsd, vnfds: { relay: vnfd }, accounts: [os], placement, subnets, hots: { relay: hot } });
    expect(p.steps.map((s) => `${s.phase}:${s.kind}:${s.target}`)).toEqual([
      '0:network:rondo-87bc333d-vl_in', '0:network:rondo-87bc333d-vl_out',
      '1:compute:rondo-87bc333d-sap_in', '1:compute:rondo-87bc333d-sap_out', '1:stack:rondo-87bc333d-relay',
    ]);
    const s = p.steps[4]?.params as StackStepParams;
    expect(s.parameters).toEqual({ front_ext_cp_network: 'rondo-87bc333d-vl_in', back_ext_cp_network: 'rondo-87bc333d-vl_out' });
    expect(s.template.resources['front_ext_cp']?.properties?.['fixed_ips']).toEqual([{ ip_address: s.interfaces[0]?.address }]);
    expect(s.template.resources['back_aspect']?.properties?.['resource']).toMatchObject({ properties: { back_ext_cp_address: s.interfaces[1]?.address } });
    expect(s.files['back_aspect.hot.yaml']?.resources['back']?.properties).toMatchObject({ name: 'rondo-87bc333d-relay-back', metadata: { 'rondo.ns': NS, 'rondo.vnf': 'relay' } });
    expect(s.template.outputs['back_id']?.value).toEqual({ get_attr: ['back_aspect', 'outputs_list', 'back_id'] });
    expect(s.template.heat_template_version).toBe('2015-04-30');
    expect(s.template.resources['front_int_cp']?.depends_on).toEqual(['internal_vl_subnet']);
    expect(s.template.resources['back_aspect']?.depends_on).toEqual(['internal_vl_subnet']);
    expect(s.images).toEqual(['vnf/busybox:latest']);
    expect(s.interfaces.map((i) => [i.cp, i.vduCp, i.linkId])).toEqual([['ingress', 'front_ext_cp', 'vl_in'], ['egress', 'back_ext_cp', 'vl_out']]);
  });

  it('rejects a link between a Docker PoP and an OpenStack PoP with PLAN_CROSS_VIM_LINK', async () => {
    const { nsd, vnfd } = await descriptors();
    const docker = account('dc1', 'docker', 'unix:///var/run/docker.sock');
    const placement = { relay: 'os1', sap_in: 'dc1', sap_out: 'os1' };
    expect(() => planNs({ nsInstanceId: NS, nsd, vnfds: { relay: vnfd }, accounts: [os, docker], placement, subnets, hots: { relay: hot } }))
      .toThrow(expect.objectContaining({ code: 'PLAN_CROSS_VIM_LINK', status: 409 }));
  });

  it('boots what the PoP\'s image map names instead of the VNFD\'s image (servers and the image check)', async () => {
    const { nsd, vnfd } = await descriptors();
    const mapped = { ...os, config: { imageMap: { 'vnf/busybox:latest': 'cirros-0.6' } } };
    const p = planNs({ nsInstanceId: NS, nsd, vnfds: { relay: vnfd }, accounts: [mapped], placement: { relay: 'os1', sap_in: 'os1', sap_out: 'os1' }, subnets, hots: { relay: hot } });
    const s = p.steps.find((x) => x.kind === 'stack')?.params as StackStepParams;
    expect(s.images).toEqual(['cirros-0.6']);
    expect(s.template.resources['front']?.properties?.['image']).toBe('cirros-0.6');
    expect(s.files['back_aspect.hot.yaml']?.resources['back']?.properties?.['image']).toBe('cirros-0.6');
  });

  it('says PLAN_HOT_UNAVAILABLE when an OpenStack-placed VNF has no translation', async () => {
    const { nsd, vnfd } = await descriptors();
    expect(() => planNs({ nsInstanceId: NS, nsd, vnfds: { relay: vnfd }, accounts: [os], placement: { relay: 'os1', sap_in: 'os1', sap_out: 'os1' }, subnets }))
      .toThrow(expect.objectContaining({ code: 'PLAN_HOT_UNAVAILABLE' }));
  });

  it('terminates Heat PoPs with a stack sweep before the network sweep', () => {
    const steps = planTerminate({ nsInstanceId: NS, vnfs: [], vnfds: {}, popIds: ['os1'], heatPopIds: ['os1'] });
    expect(steps.map((s) => `${s.phase}:${s.kind}`)).toEqual(['1:compute', '1:stack', '2:network']);
  });
});
