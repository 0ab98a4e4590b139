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
import type { OpStep, VnfInstance } from '../model/index.js';
import { nsBuildOf } from './ns-build.js';
import { resolveScale } from './scale-requests.js';
import type { ScaleRequest } from './scale-requests.js';
import { planScale } from './scale-planner.js';
import { SCALE_PHASES } from './ns-plan-types.js';
import { stackScalePatches } from './heat-scale.js';
import type { StackScaleParams } from './heat-scale.js';

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
    expect(s.parameters).toEqual({
      front_ext_cp_network: 'rondo-87bc333d-vl_in', back_ext_cp_network: 'rondo-87bc333d-vl_out', back_ext_cp_fixed_ips: JSON.stringify([{ ip_address: s.interfaces[1]?.address }]),
    });
    expect(s.template.resources['front_ext_cp']?.properties?.['fixed_ips']).toEqual([{ ip_address: s.interfaces[0]?.address }]);
    // Inside the scaling group the pin and the capacity are stack parameters, which a SCALE updates.
    expect(s.template.resources['back_aspect']?.properties).toMatchObject({
      desired_capacity: { get_param: 'back_aspect_desired_capacity' }, resource: { properties: { back_ext_cp_fixed_ips: { get_param: 'back_ext_cp_fixed_ips' } } },
    });
    expect(s.template.parameters['back_aspect_desired_capacity']).toEqual({ type: 'number', default: 1 });
    expect(s.files['back_aspect.hot.yaml']?.resources['back_ext_cp']?.properties?.['fixed_ips']).toEqual({ get_param: 'back_ext_cp_fixed_ips' });
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

describe('SCALE of a VNF running as a Heat stack', () => {
  const step = (id: string, params: unknown, result: Record<string, unknown>, seq = 0): OpStep => ({
    id, opId: `op-${id}`, seq, phase: 1, kind: 'stack', target: 't', popId: 'os1', params: params as Record<string, unknown>, state: 'DONE', result, error: null, startedAt: null, endedAt: null,
  });
  const request = (type: 'SCALE_OUT' | 'SCALE_IN', steps = 1): ScaleRequest => ({ scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: 'v1', scaleVnfType: type, scaleByStepData: { aspectId: 'back_aspect', numberOfSteps: steps } }] });

  async function instantiated(): Promise<{ vnfd: Vnfd; vnf: VnfInstance; stack: StackStepParams; build: ReturnType<typeof nsBuildOf> }> {
    const { nsd, vnfd } = await descriptors();
    const p = planNs({ nsInstanceId: NS, nsd, vnfds: { relay: vnfd }, accounts: [os], placement: { relay: 'os1', sap_in: 'os1', sap_out: 'os1' }, subnets, hots: { relay: hot } });
    const stack = p.steps.find((x) => x.kind === 'stack')?.params as StackStepParams;
    const vnf: VnfInstance = {
      id: 'v1', nsInstanceId: NS, memberId: 'relay', kind: 'vnf', vnfdId: vnfd.descriptorId, vnfdRef: null, popId: 'os1', computeIds: ['srv-front', 'srv-back'], state: 'STARTED', createdAt: '2025-01-01T00:00:00.000Z',
      interfaces: stack.interfaces.map((i) => ({ cp: i.cp, linkId: i.linkId, address: i.address, prefix: i.prefix })),
      vnfcs: [{ computeId: 'srv-front', name: `${stack.name}-front`, vduId: 'front' }, { computeId: 'srv-back', name: `${stack.name}-back`, vduId: 'back' }],
      scaleStatus: [{ aspectId: 'back_aspect', scaleLevel: 0 }],
    };
    return { vnfd, vnf, stack, build: nsBuildOf([step('i', stack, { computeIds: vnf.computeIds })]) };
  }

  it('plans one stack update to the level\'s capacity (member ports unpinned), refuses limits first, and records the servers and level', async () => {
    const { vnfd, vnf, stack, build } = await instantiated();
    expect(() => resolveScale([vnf], { relay: vnfd }, build, request('SCALE_IN'))).toThrow(expect.objectContaining({ code: 'SCALE_LIMIT_EXCEEDED', status: 422 }));
    expect(() => resolveScale([vnf], { relay: vnfd }, build, request('SCALE_OUT', 3))).toThrow(expect.objectContaining({ code: 'SCALE_LIMIT_EXCEEDED', details: expect.objectContaining({ maximumScaleLevel: 2 }) }));
    const changes = resolveScale([vnf], { relay: vnfd }, build, request('SCALE_OUT', 2));
    expect(changes).toMatchObject([{ memberId: 'relay', aspectId: 'back_aspect', direction: 'out', fromLevel: 0, toLevel: 2 }]);
    const planned = planScale({ nsInstanceId: NS, vnfs: [vnf], changes, build, vnfds: { relay: vnfd } });
    expect(planned.map((s) => [s.phase, s.kind, s.target])).toEqual([[SCALE_PHASES.computes, 'stack', stack.name]]);
    const p = planned[0]?.params as StackScaleParams;
    expect(p).toMatchObject({ action: 'scale', capacity: 3, previousCapacity: 1, parameters: { back_aspect_desired_capacity: '3', back_ext_cp_fixed_ips: '[]' } });

    const result = {
      name: stack.name, capacity: 3,
      vnfcs: [['srv-front', 'front'], ['srv-back', 'back'], ['srv-b2', 'back'], ['srv-b3', 'back']].map(([computeId, vduId]) => ({ computeId, name: `${stack.name}-${vduId}`, vduId })),
      interfaces: [...vnf.interfaces, { cp: 'egress', linkId: 'vl_out', address: '10.20.0.77', prefix: 24 }],
    };
    const patch = stackScalePatches([vnf], [step('s', p, result)]).get('v1');
    expect(patch?.computeIds).toEqual(['srv-front', 'srv-back', 'srv-b2', 'srv-b3']);
    expect(patch?.vnfcs?.slice(2)).toEqual([2, 3].map((k) => ({ computeId: `srv-b${k}`, name: `${stack.name}-back`, vduId: 'back', aspectId: 'back_aspect', scaleLevel: 2 })));
    expect(patch?.scaleStatus).toEqual([{ aspectId: 'back_aspect', scaleLevel: 2 }]);
    // front (1 vCPU, 64 MiB) and three back servers (1 vCPU, 128 MB each).
    expect(patch?.demand).toEqual({ cpu: 4, memoryMiB: 64 + 3 * (vnfd.vdus.find((v) => v.id === 'back')?.memoryMiB ?? Number.NaN) });
    // Scaled to level 2, a scale-in by one plans the capacity of level 1.
    const grown = { ...vnf, computeIds: patch?.computeIds ?? [], scaleStatus: patch?.scaleStatus ?? [] };
    const back = planScale({ nsInstanceId: NS, vnfs: [grown], changes: resolveScale([grown], { relay: vnfd }, build, request('SCALE_IN')), build, vnfds: { relay: vnfd } });
    expect(back[0]?.params).toMatchObject({ capacity: 2, previousCapacity: 3, fromLevel: 2, toLevel: 1 });
  });

  it('refuses with SCALE_NOT_SUPPORTED a stack without a scaling group for the aspect', async () => {
    const { vnfd, vnf, stack } = await instantiated();
    const { back_aspect: _g, ...resources } = stack.template.resources;
    const build = nsBuildOf([step('i', { ...stack, template: { ...stack.template, resources } }, {})]);
    expect(() => resolveScale([vnf], { relay: vnfd }, build, request('SCALE_OUT'))).toThrow(expect.objectContaining({ code: 'SCALE_NOT_SUPPORTED', status: 422 }));
  });
});
