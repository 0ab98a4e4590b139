import { describe, expect, it } from 'vitest';
import type { Nsd, Vnfd } from '../model/index.js';
import { RondoError } from '../model/index.js';
import { nsDeploymentOf, nsFlavourIds, vnfFlavourId } from './deployment-flavours.js';

const nsd = (format: Nsd['format'], extra: Partial<Nsd> = {}): Nsd => ({
  descriptorId: 'ns', ref: { vendor: 'v', name: 'ns', version: '1' }, format, vnfs: [{ vnfId: 'a', vnfd: { descriptorId: 'a' } }], saps: [], virtualLinks: [], forwardingGraphs: [], source: {}, ...extra,
});
const vnfd = (format: Vnfd['format'], extra: Partial<Vnfd> = {}): Vnfd => ({
  descriptorId: 'a', ref: { vendor: 'v', name: 'a', version: '1' }, format, vdus: [], connectionPoints: [], monitoringParameters: [], scalingAspects: [], startCommands: [], stopCommands: [], source: {}, ...extra,
});
const df = (id: string) => ({ id, vduProfiles: [], instantiationLevels: [], scalingAspects: [] });

describe('deployment flavours', () => {
  it('SOL006: the df ids in order, the first instantiated; a VNF runs its VNFD\'s first df', () => {
    const two = nsd('sol006', { deploymentFlavours: [{ id: 'default-df', vnfIds: ['a'] }, { id: 'big-df', vnfIds: ['a'] }] });
    expect(nsFlavourIds(two)).toEqual(['default-df', 'big-df']);
    expect(nsDeploymentOf(two, { a: vnfd('sol006', { deploymentFlavours: [df('default-df'), df('other')] }) }, undefined)).toEqual({ flavourId: 'default-df', vnfFlavours: { a: 'default-df' } });
    expect(nsDeploymentOf(two, {}, 'default-df').flavourId).toBe('default-df');
  });

  it('SOL001: the NS and VNF flavour_id, read by the reader or, for models on-boarded before, from the source', () => {
    expect(nsFlavourIds(nsd('etsi', { deploymentFlavours: [{ id: 'simple', vnfIds: ['a'] }] }))).toEqual(['simple']);
    const legacy = nsd('etsi', { source: { topology_template: { node_templates: { ns: { type: 'tosca.nodes.nfv.NS', properties: { flavour_id: 'small' } } } } } });
    expect(nsFlavourIds(legacy)).toEqual(['small']);
    expect(vnfFlavourId(vnfd('etsi', { deploymentFlavours: [df('simple')] }))).toBe('simple');
    expect(vnfFlavourId(vnfd('etsi', { source: { topology_template: { node_templates: { VNF: { type: 'tosca.nodes.nfv.VNF', properties: { flavour_id: 'tiny' } } } } } }))).toBe('tiny');
  });

  it('5GTANGO: one flavour, default, for the NS and every VNF', () => {
    expect(nsDeploymentOf(nsd('tango'), { a: vnfd('tango') }, 'default')).toEqual({ flavourId: 'default', vnfFlavours: { a: 'default' } });
  });

  it('refuses a flavour the NSD lacks, and one it has but Rondo does not instantiate, with 422 NS_FLAVOUR_UNKNOWN naming the field and the flavours', () => {
    const two = nsd('sol006', { deploymentFlavours: [{ id: 'default-df', vnfIds: ['a'] }, { id: 'big-df', vnfIds: ['a'] }] });
    for (const asked of ['default', 'big-df']) {
      let caught: unknown;
      try {
        nsDeploymentOf(two, {}, asked);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RondoError);
      expect(caught).toMatchObject({ code: 'NS_FLAVOUR_UNKNOWN', status: 422, details: { field: 'nsFlavourId', nsFlavourId: asked, flavours: ['default-df', 'big-df'], instantiable: ['default-df'] } });
    }
    expect(() => nsDeploymentOf(nsd('tango'), {}, 'gold')).toThrow(/not a deployment flavour .*its flavours: default/);
  });
});
