import type { Nsd, Vnfd } from '../model/index.js';
import { RondoError } from '../model/index.js';

/**
 * The flavour id of a 5GTANGO/SONATA descriptor. Their NSDs and VNFDs may list
 * `deployment_flavours` (named copies of their sections), but Rondo, like the 5GTANGO
 * gatekeeper, deploys the descriptor's own top-level sections: that one flavour is `default`.
 */
export const TANGO_FLAVOUR_ID = 'default';

/** A descriptor's `source` walked to its TOSCA node templates (records on-boarded before flavours were read). */
const toscaNodes = (source: unknown): Record<string, unknown>[] => {
  const nodes = (source as { topology_template?: { node_templates?: unknown } } | null)?.topology_template?.node_templates;
  return nodes !== null && typeof nodes === 'object' ? Object.values(nodes as Record<string, unknown>).filter((n): n is Record<string, unknown> => n !== null && typeof n === 'object') : [];
};

/** The literal `flavour_id` of the first node of `type` in a SOL001 source, if any. */
const sourceFlavour = (source: unknown, type: string): string | undefined => {
  const node = toscaNodes(source).find((n) => n['type'] === type);
  const id = (node?.['properties'] as Record<string, unknown> | undefined)?.['flavour_id'];
  return typeof id === 'string' ? id : undefined;
};

/**
 * The NS deployment flavours of an NSD, the one Rondo instantiates first: SOL006 `df` ids in
 * order, the SOL001 NS node's `flavour_id`, {@link TANGO_FLAVOUR_ID} for 5GTANGO. The NSD
 * model carries only the first flavour's members, links and levels, so only it can be
 * instantiated.
 */
export function nsFlavourIds(nsd: Nsd): string[] {
  const listed = (nsd.deploymentFlavours ?? []).map((f) => f.id).filter((id) => id !== '');
  if (listed.length > 0) return listed;
  const legacy = nsd.format === 'etsi' ? sourceFlavour(nsd.source, 'tosca.nodes.nfv.NS') : undefined;
  return [legacy ?? TANGO_FLAVOUR_ID];
}

/**
 * The VNF deployment flavour a VNFD is deployed with: its first SOL006 `df` (the one whose
 * default instantiation level sets the VDU counts), the SOL001 VNF's `flavour_id`, or
 * {@link TANGO_FLAVOUR_ID} for 5GTANGO.
 */
export function vnfFlavourId(vnfd: Vnfd): string {
  const first = vnfd.deploymentFlavours?.[0]?.id;
  if (first) return first;
  const legacy = vnfd.format === 'etsi' ? sourceFlavour(vnfd.source, 'tosca.nodes.nfv.VNF') : undefined;
  return legacy ?? TANGO_FLAVOUR_ID;
}

/** What an NS is instantiated with: its NS flavour and each member's VNF flavour. */
export interface NsDeployment {
  readonly flavourId: string;
  /** Member id → VNF flavour id, for every VNF member of the NSD (those added later too). */
  readonly vnfFlavours: Readonly<Record<string, string>>;
}

/**
 * The deployment an InstantiateNsRequest asks for: `nsFlavourId` when it is the flavour Rondo
 * instantiates, the NSD's (first) flavour when the request names none. Throws 422
 * `NS_FLAVOUR_UNKNOWN` for another id, naming the field and the NSD's flavours. Pure.
 */
export function nsDeploymentOf(nsd: Nsd, vnfds: Readonly<Record<string, Vnfd>>, nsFlavourId: string | undefined): NsDeployment {
  const flavours = nsFlavourIds(nsd);
  const first = flavours[0] ?? TANGO_FLAVOUR_ID;
  if (nsFlavourId !== undefined && nsFlavourId !== first) {
    const known = flavours.includes(nsFlavourId);
    throw new RondoError(
      'NS_FLAVOUR_UNKNOWN',
      known
        ? `nsFlavourId "${nsFlavourId}" is a flavour of NSD ${nsd.descriptorId}, but Rondo instantiates only its first flavour, "${first}"; send nsFlavourId "${first}"`
        : `nsFlavourId "${nsFlavourId}" is not a deployment flavour of NSD ${nsd.descriptorId}; its flavours: ${flavours.join(', ')} (send "${first}", or leave nsFlavourId out)`,
      { details: { field: 'nsFlavourId', nsFlavourId, flavours, instantiable: [first] } },
    );
  }
  const vnfFlavours = Object.fromEntries(Object.entries(vnfds).map(([memberId, vnfd]) => [memberId, vnfFlavourId(vnfd)]));
  return { flavourId: first, vnfFlavours };
}
