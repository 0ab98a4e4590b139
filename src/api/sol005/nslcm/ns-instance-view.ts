import { Type } from 'typebox';
import type { InterfaceRecord, NsInstance, VimAccount, VnfInstance } from '../../../model/index.js';
import { Link } from '../../http/schema-types.js';

/**
 * SOL005 `CpProtocolInfo` of one fixed IPv4 address on a virtual link, with the MAC the
 * VIM reports (`IpOverEthernetAddressInfo.macAddress`, SOL005 v2.6.1 §6.5.3.18) when known.
 */
const cpProtocolInfo = (i: InterfaceRecord) => [
  {
    layerProtocol: 'IP_OVER_ETHERNET',
    ipOverEthernet: {
      ...(i.macAddress ? { macAddress: i.macAddress } : {}),
      ipAddresses: [{ type: 'IPV4', addresses: [i.address], isDynamic: false, subnetId: i.linkId }],
    },
  },
];

/** Rondo's flat interface list (extension attribute; the dashboard reads it). */
const flatInterfaces = (v: VnfInstance) =>
  v.interfaces.map((i) => ({ cp: i.cp, linkId: i.linkId, address: i.address, prefix: i.prefix, ...(i.ifName ? { ifName: i.ifName } : {}), ...(i.macAddress ? { macAddress: i.macAddress } : {}) }));

/** SOL005 `VimConnectionInfo` map (v3: keyed by id) for the PoP a VNF runs on. */
const vimConnectionInfo = (popId: string, pops: ReadonlyMap<string, VimAccount>) => {
  const pop = pops.get(popId);
  return { [popId]: { vimId: popId, vimType: pop ? `ETSINFV.${pop.type.toUpperCase()}.V_1` : 'UNKNOWN', interfaceInfo: pop ? { endpoint: pop.endpoint } : {} } };
};

/** SOL003 VnfOperationalStateType has only STARTED/STOPPED; Rondo's FAILED reads as STOPPED there. */
const vnfState = (v: VnfInstance): 'STARTED' | 'STOPPED' => (v.state === 'STARTED' ? 'STARTED' : 'STOPPED');

/**
 * One VNF as SOL005 `VnfInstance` (plus Rondo extensions `memberId`, `popId`, `state`,
 * `interfaces`); `flavourId` is the VNF deployment flavour its NS instance records for it.
 */
export function toVnfInstanceView(v: VnfInstance, pops: ReadonlyMap<string, VimAccount>, flavourId: string) {
  const [vendor, name, version] = (v.vnfdRef ?? '//').split('/');
  return {
    id: v.id,
    vnfInstanceName: v.memberId,
    vnfInstanceDescription: '',
    vnfdId: v.vnfdId ?? '',
    vnfProvider: vendor ?? '',
    vnfProductName: name ?? '',
    vnfSoftwareVersion: version ?? '',
    vnfdVersion: version ?? '',
    // SOL005 v2.6.1 §6.5.3.57: the on-boarded VNF package the VNFD came from ('' for records older than it).
    vnfPkgId: v.vnfPkgId ?? '',
    // SOL005 v2.6.1 names the VIM by `vimId`; `vimConnectionInfo` is the v3 form, kept beside it.
    vimId: v.popId,
    vimConnectionInfo: vimConnectionInfo(v.popId, pops),
    instantiationState: 'INSTANTIATED' as const,
    instantiatedVnfInfo: {
      flavourId,
      vnfState: vnfState(v),
      extCpInfo: v.interfaces.map((i) => ({ id: `${v.memberId}-${i.cp}`, cpdId: i.cp, cpProtocolInfo: cpProtocolInfo(i) })),
      vnfcResourceInfo: v.computeIds.map((computeId, k) => {
        const vnfc = v.vnfcs?.find((c) => c.computeId === computeId);
        return {
          id: `${v.memberId}-vnfc-${k}`,
          // The VDU the compute was planned for (older records are completed from its step or VNFD before they get here).
          vduId: vnfc?.vduId ?? '',
          computeResource: { vimId: v.popId, vimConnectionId: v.popId, resourceId: computeId, vimLevelResourceType: pops.get(v.popId)?.type === 'openstack' ? 'OS::Nova::Server' : 'container' },
          // Rondo: the compute's VIM name and, for one a scale-out added, its aspect and level.
          ...(vnfc ? { metadata: { name: vnfc.name, ...(vnfc.aspectId !== undefined ? { aspectId: vnfc.aspectId, scaleLevel: vnfc.scaleLevel } : {}) } } : {}),
        };
      }),
      // SOL005 VnfScaleInfo per aspect (levels from 0, the instantiation).
      ...(v.scaleStatus ? { scaleStatus: v.scaleStatus.map((s) => ({ aspectId: s.aspectId, scaleLevel: s.scaleLevel })) } : {}),
    },
    memberId: v.memberId,
    popId: v.popId,
    state: v.state,
    interfaces: flatInterfaces(v),
  };
}

/** One SAP as SOL005 `SapInfo` (plus Rondo extensions `popId`, `computeIds`, `interfaces`). */
export function toSapInfoView(s: VnfInstance) {
  return {
    id: s.id,
    sapdId: s.memberId,
    sapName: s.memberId,
    description: '',
    sapProtocolInfo: s.interfaces.flatMap(cpProtocolInfo),
    memberId: s.memberId,
    popId: s.popId,
    computeIds: [...s.computeIds],
    state: s.state,
    interfaces: flatInterfaces(s),
  };
}

/**
 * SOL005 `NsInstance` as Rondo answers it: `flavourId` (and each VNF's) as recorded when it
 * was instantiated, shown while INSTANTIATED (SOL005: present only then).
 */
export function toNsInstanceView(ns: NsInstance, vnfs: readonly VnfInstance[], pops: ReadonlyMap<string, VimAccount>, base: string) {
  const self = `${base}/nslcm/v1/ns_instances/${ns.id}`;
  const instantiated = ns.state === 'INSTANTIATED';
  return {
    id: ns.id,
    nsInstanceName: ns.name,
    nsInstanceDescription: ns.description,
    nsdId: ns.nsdId,
    nsdInfoId: ns.nsdInfoId,
    ...(instantiated && ns.flavourId !== undefined ? { flavourId: ns.flavourId } : {}),
    vnfInstance: vnfs.filter((v) => v.kind === 'vnf').map((v) => toVnfInstanceView(v, pops, ns.vnfFlavours?.[v.memberId] ?? '')),
    sapInfo: vnfs.filter((v) => v.kind === 'sap').map(toSapInfoView),
    nsState: ns.state,
    _links: {
      self: { href: self },
      ...(instantiated
        ? { terminate: { href: `${self}/terminate` }, heal: { href: `${self}/heal` }, update: { href: `${self}/update` }, scale: { href: `${self}/scale` } }
        : { instantiate: { href: `${self}/instantiate` } }),
    },
  };
}

/** The NsInstance view's type. */
export type NsInstanceView = ReturnType<typeof toNsInstanceView>;

/** Attributes a SOL013 filter may use on NS instances. */
export const NS_INSTANCE_ATTRIBUTES: ReadonlySet<string> = new Set(['id', 'nsInstanceName', 'nsInstanceDescription', 'nsdId', 'nsdInfoId', 'flavourId', 'vnfInstance', 'sapInfo', 'nsState']);
/** SOL005 §6.4.2.3.2: left out of lists unless asked for. */
export const NS_INSTANCE_DEFAULT_EXCLUDED = ['vnfInstance', 'pnfInfo', 'virtualLinkInfo', 'vnffgInfo', 'sapInfo', 'nsScaleStatus', 'additionalAffinityOrAntiAffinityRule'] as const;

/** Loose schema of NsInstance: typed top level, nested records passed through. */
export const NsInstanceSchema = Type.Object(
  {
    id: Type.String(),
    nsInstanceName: Type.String(),
    nsInstanceDescription: Type.String(),
    nsdId: Type.String(),
    nsdInfoId: Type.String(),
    flavourId: Type.Optional(Type.String()),
    vnfInstance: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    sapInfo: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    nsState: Type.String(),
    _links: Type.Object({ self: Link, instantiate: Type.Optional(Link), terminate: Type.Optional(Link), heal: Type.Optional(Link), update: Type.Optional(Link), scale: Type.Optional(Link) }),
  },
  { additionalProperties: true },
);

/** SOL005 CreateNsRequest. */
export const CreateNsRequestSchema = Type.Object({
  nsdId: Type.String({ minLength: 1, description: 'The NSD identifier (`NsdInfo.nsdId`, SOL005 §6.5.2.9); an NsdInfo id (`NsdInfo.id`) is also accepted' }),
  nsName: Type.String({ minLength: 1, maxLength: 128 }),
  nsDescription: Type.Optional(Type.String({ maxLength: 1024 })),
});

/** SOL005 InstantiateNsRequest (Rondo's subset) with placement in additionalParamsForNs. */
export const InstantiateNsRequestSchema = Type.Object(
  {
    nsFlavourId: Type.Optional(Type.String({
      minLength: 1,
      description: 'An NS deployment flavour of the NSD (SOL006 df id, SOL001 NS flavour_id; `default` for a 5GTANGO NSD); default: the NSD\'s first, the one Rondo instantiates (422 NS_FLAVOUR_UNKNOWN for another)',
    })),
    nsInstantiationLevelId: Type.Optional(Type.String({ minLength: 1, description: 'An NS instantiation level of the NSD to instantiate at; default: the NSD\'s default level' })),
    additionalParamsForNs: Type.Optional(
      Type.Object(
        {
          placement: Type.Optional(Type.String()),
          pins: Type.Optional(Type.Record(Type.String(), Type.String())),
          autoRollback: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: true },
      ),
    ),
    locationConstraints: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
  },
  { additionalProperties: true },
);

/** SOL005 TerminateNsRequest. */
export const TerminateNsRequestSchema = Type.Object(
  { terminationTime: Type.Optional(Type.String()), terminationType: Type.Optional(Type.Union([Type.Literal('GRACEFUL'), Type.Literal('FORCEFUL')])) },
  { additionalProperties: true },
);

/** SOL005 KeyValuePairs. */
const KeyValuePairs = Type.Record(Type.String(), Type.Unknown());

/** SOL005 HealVnfData (§6.5.3.44): one VNF instance to heal. */
export const HealVnfDataSchema = Type.Object(
  {
    vnfInstanceId: Type.String({ minLength: 1, description: 'A VNF instance of the NS (`vnfInstance[].id`)' }),
    cause: Type.Optional(Type.String({ description: 'Why the VNF needs healing (kept with the operation)' })),
    additionalParams: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Rondo reads `all: true`: re-create every container of the VNF, not only the dead or sick ones' })),
  },
  { additionalProperties: false },
);

/** SOL005 HealNsData (§6.5.3.43): heal the whole NS. */
export const HealNsDataSchema = Type.Object(
  {
    degreeHealing: Type.Union(['HEAL_RESTORE', 'HEAL_QOS', 'HEAL_RESET', 'PARTIAL_HEALING'].map((d) => Type.Literal(d)), {
      description: 'HEAL_RESTORE: re-create the dead or sick containers of every member; HEAL_RESET: every container (HEAL_QOS and PARTIAL_HEALING answer 422)',
    }),
    actionsHealing: Type.Optional(Type.Array(Type.String(), { description: 'Not supported (422 when not empty)' })),
    healScript: Type.Optional(Type.String({ description: 'Not supported (422)' })),
    additionalParamsforNs: Type.Optional(KeyValuePairs),
  },
  { additionalProperties: false },
);

/** SOL005 HealNsRequest (§6.5.2.13): either healNsData or healVnfData. */
export const HealNsRequestSchema = Type.Object(
  { healNsData: Type.Optional(HealNsDataSchema), healVnfData: Type.Optional(Type.Array(HealVnfDataSchema)) },
  { additionalProperties: false },
);

/** SOL005 UpdateNsRequest `updateType` values (§6.5.2.12); Rondo carries out OPERATE_VNF, REMOVE_VNF, ADD_VNF and INSTANTIATE_VNF. */
export const UPDATE_TYPES = [
  'ADD_VNF', 'REMOVE_VNF', 'INSTANTIATE_VNF', 'CHANGE_VNF_DF', 'OPERATE_VNF', 'MODIFY_VNF_INFORMATION', 'CHANGE_EXTERNAL_VNF_CONNECTIVITY', 'CHANGE_VNFPKG',
  'ADD_SAP', 'REMOVE_SAP', 'ADD_NESTED_NS', 'REMOVE_NESTED_NS', 'ASSOC_NEW_NSD_VERSION', 'MOVE_VNF', 'ADD_VNFFG', 'REMOVE_VNFFG', 'UPDATE_VNFFG', 'CHANGE_NS_DF',
  'ADD_PNF', 'MODIFY_PNF', 'REMOVE_PNF', 'CREATE_VNF_SNAPSHOT', 'REVERT_VNF_TO_SNAPSHOT', 'DELETE_VNF_SNAPSHOT_INFO', 'MODIFY_WAN_CONNECTION_INFO',
  'CREATE_NS_VIRTUAL_LINK', 'DELETE_NS_VIRTUAL_LINK',
] as const;

/** The other members of UpdateNsRequest: accepted by name (their update types answer 422), never read. */
const OTHER_UPDATE_DATA = [
  'changeVnfFlavourData', 'modifyVnfInfoData', 'changeExtVnfConnectivityData', 'changeVnfPackageData',
  'addSap', 'removeSapId', 'addNestedNsData', 'removeNestedNsId', 'assocNewNsdVersionData', 'moveVnfInstanceData', 'addVnffg', 'removeVnffgId', 'updateVnffg',
  'changeNsFlavourData', 'addPnfData', 'modifyPnfData', 'removePnfId', 'modifyWanConnectionInfoData', 'updateTime', 'createSnapshotData', 'revertVnfToSnapshotData',
  'deleteVnfSnapshotData', 'addNsVirtualLinkData', 'deleteNsVirtualLinkId',
] as const;

/** SOL005 OperateVnfData (§6.5.3.31). */
export const OperateVnfDataSchema = Type.Object(
  {
    vnfInstanceId: Type.String({ minLength: 1, description: 'A VNF instance of the NS (`vnfInstance[].id`)' }),
    changeStateTo: Type.Union([Type.Literal('STARTED'), Type.Literal('STOPPED')]),
    stopType: Type.Optional(Type.Union([Type.Literal('FORCEFUL'), Type.Literal('GRACEFUL')], { description: 'With STOPPED only; absent reads as FORCEFUL' })),
    gracefulStopTimeout: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, description: 'Seconds the stop commands get; required with GRACEFUL, refused otherwise' })),
    additionalParam: Type.Optional(KeyValuePairs),
  },
  { additionalProperties: false },
);

/** SOL005 VnfInstanceData (§6.5.3.19), an entry of `addVnfIstance`. */
export const VnfInstanceDataSchema = Type.Object(
  {
    vnfInstanceId: Type.String({ minLength: 1, description: 'Kept in operationParams only: Rondo has no VNF instance outside an NS, the member comes back as a new VNF instance' }),
    vnfProfileId: Type.String({ minLength: 1, description: 'The NSD member to add back: SOL001 VNF node name, SOL006 vnf-profile id (`vnfInstance[].memberId`)' }),
  },
  { additionalProperties: false },
);

/** The members of SOL005 InstantiateVnfData Rondo does not read: accepted by name. */
const OTHER_INSTANTIATE_VNF_DATA = [
  'vnfInstanceDescription', 'extVirtualLinks', 'extManagedVirtualLinks', 'localizationLanguage', 'vnfConfigurableProperties', 'additionalParams', 'metadata', 'extensions', 'locationConstraints',
] as const;

/** SOL005 InstantiateVnfData (§6.5.3.24), an entry of `instantiateVnfData`. */
export const InstantiateVnfDataSchema = Type.Object(
  {
    vnfdId: Type.String({ minLength: 1, description: 'The VNFD of the NSD member to instantiate again (the first one the NS does not run, in NSD order)' }),
    vnfFlavourId: Type.String({ minLength: 1, description: 'A deployment flavour of that VNFD (any, when the VNFD declares none)' }),
    vnfInstantiationLevelId: Type.Optional(Type.String({ minLength: 1 })),
    vnfInstanceName: Type.Optional(Type.String()),
    ...Object.fromEntries(OTHER_INSTANTIATE_VNF_DATA.map((k) => [k, Type.Optional(Type.Unknown())])),
  },
  { additionalProperties: false },
);

/** SOL005 UpdateNsRequest (§6.5.2.12): every member by its SOL005 name; OPERATE_VNF, REMOVE_VNF, ADD_VNF and INSTANTIATE_VNF are carried out. */
export const UpdateNsRequestSchema = Type.Object(
  {
    updateType: Type.Union(UPDATE_TYPES.map((t) => Type.Literal(t))),
    operateVnfData: Type.Optional(Type.Array(OperateVnfDataSchema)),
    removeVnfInstanceId: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'REMOVE_VNF: VNF instances of the NS whose NSD vnf profile allows 0 instances and that no forwarding path crosses' })),
    // SOL005 spells it so (§6.5.2.12), and so does Rondo.
    addVnfIstance: Type.Optional(Type.Array(VnfInstanceDataSchema, { description: 'ADD_VNF: NSD members (vnf profiles) the NS does not run now, to add back' })),
    instantiateVnfData: Type.Optional(Type.Array(InstantiateVnfDataSchema, { description: 'INSTANTIATE_VNF: NSD members, by VNFD, the NS does not run now, to instantiate again' })),
    ...Object.fromEntries(OTHER_UPDATE_DATA.map((k) => [k, Type.Optional(Type.Unknown())])),
  },
  { additionalProperties: false },
);

/** SOL005 ScaleByStepData (§6.5.3.27). */
export const ScaleByStepDataSchema = Type.Object(
  {
    aspectId: Type.String({ minLength: 1, description: 'A scaling aspect of the VNF: a SOL001 ScalingAspects aspect, or for a 5GTANGO VNFD the id of a VDU with scale_in_out' }),
    numberOfSteps: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Steps to scale by; default 1' })),
    additionalParams: Type.Optional(KeyValuePairs),
  },
  { additionalProperties: false },
);

/** SOL005 ScaleVnfData (§6.5.3.26). */
export const ScaleVnfDataSchema = Type.Object(
  {
    vnfInstanceId: Type.String({ minLength: 1, description: 'A VNF instance of the NS (`vnfInstance[].id`)' }),
    scaleVnfType: Type.Union(['SCALE_OUT', 'SCALE_IN', 'SCALE_TO_INSTANTIATION_LEVEL', 'SCALE_TO_SCALE_LEVEL(S)'].map((t) => Type.Literal(t)), {
      description: 'SCALE_OUT adds, SCALE_IN removes VNFC instances by aspect steps (scaleByStepData); SCALE_TO_INSTANTIATION_LEVEL and SCALE_TO_SCALE_LEVEL(S) go to a level (scaleToLevelData)',
    }),
    scaleToLevelData: Type.Optional(Type.Object(
      {
        vnfInstantiationLevelId: Type.Optional(Type.String({ minLength: 1, description: 'An instantiation level of the VNF\'s deployment flavour (SCALE_TO_INSTANTIATION_LEVEL)' })),
        vnfScaleInfo: Type.Optional(Type.Array(Type.Object({ aspectId: Type.String({ minLength: 1 }), scaleLevel: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }), { description: 'The level of each aspect (SCALE_TO_SCALE_LEVEL(S))' })),
        additionalParams: Type.Optional(KeyValuePairs),
      },
      { additionalProperties: false },
    )),
    scaleByStepData: Type.Optional(ScaleByStepDataSchema),
  },
  { additionalProperties: false },
);

/** SOL005 ScaleNsData (§6.5.3.27): by steps of an NS aspect, or to an NS level; adding or removing VNF instances answers 422. */
export const ScaleNsDataSchema = Type.Object(
  {
    scaleNsByStepsData: Type.Optional(Type.Object(
      {
        scalingDirection: Type.Union([Type.Literal('SCALE_OUT'), Type.Literal('SCALE_IN')]),
        aspectId: Type.String({ minLength: 1, description: 'An NS scaling aspect of the NSD (SOL001 NsScalingAspects, SOL006 df scaling-aspect)' }),
        numberOfSteps: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'NS scale levels to move by; default 1' })),
      },
      { additionalProperties: false, description: 'SOL005 ScaleNsByStepsData (§6.5.3.28)' },
    )),
    scaleNsToLevelData: Type.Optional(Type.Object(
      {
        nsInstantiationLevel: Type.Optional(Type.String({ minLength: 1, description: 'An NS instantiation level of the NSD' })),
        nsScaleInfo: Type.Optional(Type.Array(
          Type.Object({ nsScalingAspectId: Type.String({ minLength: 1 }), nsScaleLevelId: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
          { minItems: 1, description: 'The NS scale level of each NS scaling aspect named (SOL005 NsScaleInfo)' },
        )),
      },
      { additionalProperties: false, description: 'SOL005 ScaleNsToLevelData (§6.5.3.30): nsInstantiationLevel or nsScaleInfo' },
    )),
    vnfInstanceToBeAdded: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'Not supported (422)' })),
    vnfInstanceToBeRemoved: Type.Optional(Type.Array(Type.String(), { description: 'Not supported (422)' })),
    additionalParamsForNs: Type.Optional(KeyValuePairs),
    additionalParamsForVnf: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    locationConstraints: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    nestedNslocationConstraints: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
  },
  { additionalProperties: false },
);

/** SOL005 ScaleNsRequest (§6.5.2.14): SCALE_VNF (scaleVnfData) or SCALE_NS (scaleNsData). */
export const ScaleNsRequestSchema = Type.Object(
  {
    scaleType: Type.Union([Type.Literal('SCALE_NS'), Type.Literal('SCALE_VNF')]),
    scaleNsData: Type.Optional(ScaleNsDataSchema),
    scaleVnfData: Type.Optional(Type.Array(ScaleVnfDataSchema, { minItems: 1 })),
    scaleTime: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
