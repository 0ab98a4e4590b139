/**
 * Maps API answers onto the dashboard's view types. Tolerant on purpose: the SOL005 names
 * (`nsInstanceName`, `vnfInstance`, `nsState`) and Rondo's record names (`name`, `state`)
 * are both accepted, so the dashboard keeps working while the API settles.
 */
import type { AlarmView, InterfaceView, NsView, OpView, PopView, ProblemView, ScaleLevelView, StepView, VnfcView, VnfView } from './api-types.js';

type Raw = Record<string, unknown>;

const obj = (v: unknown): Raw => (typeof v === 'object' && v !== null ? (v as Raw) : {});
const str = (...vs: unknown[]): string => {
  for (const v of vs) if (typeof v === 'string') return v;
  for (const v of vs) if (typeof v === 'number') return String(v);
  return '';
};
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function toInterface(raw: unknown): InterfaceView {
  const i = obj(raw);
  const [addr, len] = str(i.address, i.ipAddress).split('/');
  return {
    cp: str(i.cp, i.cpId, i.cpdId),
    linkId: str(i.linkId, i.virtualLinkId, i.vlId),
    address: addr ?? '',
    prefix: num(i.prefix) ?? (len ? Number(len) : null),
  };
}

/** SOL005 `VnfcResourceInfo`: the VDU, the compute id, and Rondo's `metadata.name`. */
function toVnfcView(raw: unknown): VnfcView {
  const c = obj(raw);
  const compute = obj(c.computeResource);
  return { id: str(c.id), vduId: str(c.vduId), computeId: str(compute.resourceId, c.id), name: str(obj(c.metadata).name) };
}

const toScaleLevel = (raw: unknown): ScaleLevelView => {
  const s = obj(raw);
  return { aspectId: str(s.aspectId), scaleLevel: num(s.scaleLevel) ?? 0 };
};

/** One VNF or SAP instance. */
export function toVnfView(raw: unknown, kind?: 'vnf' | 'sap'): VnfView {
  const v = obj(raw);
  const inst = obj(v.instantiatedVnfInfo);
  const k = v.kind === 'sap' || v.kind === 'vnf' ? v.kind : (kind ?? 'vnf');
  return {
    id: str(v.id, v.vnfInstanceId, v.sapInstanceId),
    memberId: str(v.memberId, v.vnfProfileId, v.sapdId, v.id),
    kind: k,
    vnfdId: str(v.vnfdId),
    popId: str(v.popId, v.vimId, v.vimConnectionId),
    state: str(v.state, v.vnfState, inst.vnfState, v.instantiationState),
    interfaces: arr(v.interfaces ?? v.extCpInfo).map(toInterface),
    vnfcs: arr(inst.vnfcResourceInfo).map(toVnfcView),
    scaleStatus: arr(inst.scaleStatus).map(toScaleLevel),
  };
}

/** An NS instance (SOL005 `NsInstance` or Rondo's record). */
export function toNsView(raw: unknown): NsView {
  const n = obj(raw);
  const vnfs = arr(n.vnfInstance ?? n.vnfInstances ?? n.vnfs).map((v) => toVnfView(v));
  const saps = arr(n.sapInfo ?? n.saps).map((s) => toVnfView(s, 'sap'));
  return {
    id: str(n.id),
    name: str(n.nsInstanceName, n.name),
    description: str(n.nsInstanceDescription, n.description),
    nsdInfoId: str(n.nsdInfoId, n.nsdId),
    nsdId: str(n.nsdId),
    state: str(n.nsState, n.state),
    vnfs: [...vnfs, ...saps.filter((s) => !vnfs.some((v) => v.memberId === s.memberId))],
  };
}

const problem = (v: unknown): ProblemView | null => {
  if (typeof v !== 'object' || v === null) return null;
  const p = v as Raw;
  return { status: num(p.status) ?? undefined, code: str(p.code) || undefined, title: str(p.title) || undefined, detail: str(p.detail) || undefined };
};

function toStepView(raw: unknown): StepView {
  const s = obj(raw);
  return {
    id: str(s.id),
    phase: num(s.phase) ?? 0,
    kind: str(s.kind),
    target: str(s.target),
    popId: str(s.popId),
    state: str(s.state),
    error: problem(s.error),
  };
}

/** An LCM operation occurrence with Rondo's `steps` extension. */
export function toOpView(raw: unknown): OpView {
  const o = obj(raw);
  return {
    id: str(o.id),
    nsInstanceId: str(o.nsInstanceId),
    lcmOperationType: str(o.lcmOperationType),
    operationState: str(o.operationState),
    startTime: str(o.startTime),
    statusEnteredTime: str(o.statusEnteredTime),
    error: problem(o.error),
    isCancelPending: o.isCancelPending === true,
    steps: arr(o.steps).map(toStepView).sort((a, b) => a.phase - b.phase),
  };
}

/** An alarm. */
export function toAlarmView(raw: unknown): AlarmView {
  const a = obj(raw);
  return {
    id: str(a.id),
    managedObjectId: str(a.managedObjectId),
    perceivedSeverity: str(a.perceivedSeverity),
    ackState: str(a.ackState),
    eventType: str(a.eventType),
    probableCause: str(a.probableCause),
    alarmRaisedTime: str(a.alarmRaisedTime),
    alarmClearedTime: str(a.alarmClearedTime) || null,
    faultDetails: arr(a.faultDetails).map((d) => str(d)),
  };
}

const capacity = (v: unknown): PopView['capacity'] => {
  const c = obj(v);
  const cpu = num(c.cpu) ?? num(c.vcpus);
  const mem = num(c.memoryMiB) ?? num(c.memory);
  return cpu === null && mem === null ? null : { cpu: cpu ?? 0, memoryMiB: mem ?? 0 };
};

/** A PoP (VIM account) with its capacity and use. */
export function toPopView(raw: unknown): PopView {
  const p = obj(raw);
  return {
    id: str(p.id, p.vimId),
    name: str(p.name, p.id),
    type: str(p.type, p.vimType),
    endpoint: str(p.endpoint, obj(p.interfaceInfo).endpoint),
    capacity: capacity(p.capacity),
    usage: capacity(p.usage ?? p.used),
  };
}
