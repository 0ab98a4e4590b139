import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { aspectLimits, aspectsOf } from './vnf-scaling.js';
import { toVnfView } from './api-normalize.js';
import type { VnfdModel } from './api-types.js';
import { parseYamlSafe, readTangoVnfd } from '../../descriptors/index.js';
import { scaleAspectsOf } from '../../lifecycle/index.js';
import type { Vnfd } from '../../model/index.js';

/** The example firewall VNFD as the server reads it (its VDU scales 1..3). */
function firewall(): Vnfd {
  const file = 'examples/tango-chain/Definitions/vnfd-firewall.yaml';
  const doc = parseYamlSafe(readFileSync(file, 'utf8'), file);
  if (!doc.ok) throw new Error('example VNFD is not YAML');
  const vnfd = readTangoVnfd(doc.value, file);
  if (!vnfd.ok) throw new Error(`example VNFD is invalid: ${JSON.stringify(vnfd.error)}`);
  return vnfd.value;
}

const vdu = (id: string, maxInstances?: number): Vnfd['vdus'][number] =>
  ({ id, image: 'img', imageFormat: 'docker', vcpus: 1, memoryMiB: 64, connectionPoints: [], ...(maxInstances === undefined ? {} : { maxInstances }) });

/** VNFDs with SOL001 aspects, capped by `maxInstances` or not, with deltas of one and more. */
const withAspects: Pick<Vnfd, 'vdus' | 'scalingAspects'>[] = [
  { vdus: [vdu('a', 4), vdu('b')], scalingAspects: [{ id: 'x', maxScaleLevel: 10, deltas: { a: 1 } }, { id: 'y', maxScaleLevel: 2, deltas: { b: 3 } }] },
  { vdus: [vdu('a', 7), vdu('b', 3)], scalingAspects: [{ id: 'both', maxScaleLevel: 5, deltas: { a: 2, b: 1 } }] },
  { vdus: [vdu('a', 1)], scalingAspects: [{ id: 'none-left', maxScaleLevel: 3, deltas: { a: 1 } }] },
  { vdus: [vdu('a', 3), vdu('b', 2)], scalingAspects: [] },
];

describe('aspectLimits', () => {
  it('gives every aspect the highest level the server scales to', () => {
    for (const d of [firewall(), ...withAspects]) {
      const server = new Map(scaleAspectsOf(d).map((a) => [a.id, a.maxScaleLevel]));
      expect(aspectLimits(d as unknown as VnfdModel)).toEqual(server);
    }
    expect(aspectLimits(firewall() as unknown as VnfdModel)).toEqual(new Map([['vdu01', 2]]));
  });
});

describe('aspectsOf', () => {
  const fw = firewall();
  const { source: _source, ...model } = fw;
  const vnf = toVnfView({
    id: 'vnfi-firewall', memberId: 'firewall', vnfdId: fw.descriptorId,
    instantiatedVnfInfo: {
      scaleStatus: [{ aspectId: 'vdu01', scaleLevel: 1 }],
      vnfcResourceInfo: [
        { id: 'firewall-vnfc-0', vduId: 'vdu01', computeResource: { resourceId: 'c1' }, metadata: { name: 'fw' } },
        { id: 'firewall-vnfc-1', vduId: 'vdu01', computeResource: { resourceId: 'c2' }, metadata: { name: 'fw-vdu01-1', aspectId: 'vdu01', scaleLevel: 1 } },
      ],
    },
  });

  it('reads the level from scaleStatus and the limit from the VNFD', () => {
    expect(vnf.vnfcs.map((c) => `${c.vduId}:${c.computeId}:${c.name}`)).toEqual(['vdu01:c1:fw', 'vdu01:c2:fw-vdu01-1']);
    expect(aspectsOf(vnf, [model as unknown as VnfdModel])).toEqual([{ id: 'vdu01', level: 1, max: 2 }]);
  });

  it('keeps the aspects of scaleStatus without limits when the VNFD is not at hand', () => {
    expect(aspectsOf(vnf, undefined)).toEqual([{ id: 'vdu01', level: 1, max: null }]);
    expect(aspectsOf(toVnfView({ id: 's', memberId: 'input' }, 'sap'), [])).toEqual([]);
  });
});
