/**
 * SCALE of a VNF that runs as a Heat stack: each scaling aspect is an
 * `OS::Heat::AutoScalingGroup` of the stack (see the SOL001 translation), and a scale
 * step sets the group's desired capacity by a stack update of the parameter
 * `<aspect>_desired_capacity`.
 *
 * Why a stack update and not the group's `_scale_out`/`_scale_in` scaling policies: a
 * policy signal is relative (change_in_capacity), so a step retried after a crash or a
 * lost lease would scale twice, and Heat ignores signals during the policy's cooldown
 * without telling the caller. An update to an absolute capacity is idempotent (the same
 * value again changes nothing), is refused up front by Heat when it breaks the group's
 * `max_size`, and its outcome is the stack's own UPDATE_COMPLETE/UPDATE_FAILED.
 */
import type { Capacity, InterfaceRecord, OpStep, ScaleStatusEntry, VnfcRecord, VnfInstance, Vnfd } from '../model/index.js';
import { RondoError, VimError } from '../model/index.js';
import type { VimDriver } from '../vim/vim-driver.js';
import type { HeatStackInfo, HotDocument } from './heat-ports.js';
import { heatDriverOf } from './heat-ports.js';
import type { StackInterface, StackStepParams } from './heat-plan.js';
import { capacityParam, outputValues, scaleParameters } from './heat-stack-template.js';
import type { Built, NsBuild } from './ns-build.js';
import type { UnnumberedStep } from './ns-plan-types.js';
import { isStepOf, stackScaleResultOf } from './op-step-view.js';
import type { TypedOpStepWith } from './op-step-view.js';
import { SCALE_PHASES } from './ns-plan-types.js';
import { vduCpu } from './ns-placement.js';
import type { VnfPatch } from './ports.js';
import type { ScaleAspect } from './scale-aspects.js';
import { scaleLevels } from './scale-aspects.js';
import type { ScaleChange } from './scale-requests.js';

/** SCALE `stack` step: set one scaling group of a VNF's stack to the size of a level (a type alias: see ns-plan-types.ts). */
export type StackScaleParams = {
  readonly action: 'scale';
  /** The stack. */
  readonly name: string;
  readonly memberId: string;
  readonly aspectId: string;
  readonly fromLevel: number;
  readonly toLevel: number;
  /** Members of the group at `toLevel`. */
  readonly capacity: number;
  /** Members at `fromLevel`: what a rollback sets back. */
  readonly previousCapacity: number;
  /** The stack parameters the update sets (capacity, unpinned member ports). */
  readonly parameters: Readonly<Record<string, string>>;
  /** Every VDU of the VNF (the stack's `<vdu>_id` outputs). */
  readonly vdus: readonly string[];
  /** The VNF's NS-link interfaces (the stack's `<cp>_ip` outputs). */
  readonly interfaces: readonly StackInterface[];
  /** What one server of each VDU asks of the PoP (from the VNFD; empty when unknown). */
  readonly vduDemand: Readonly<Record<string, Capacity>>;
};

/** What a DONE SCALE `stack` step records: the VNF's servers and addresses after the update. */
export type StackScaleResult = {
  readonly name: string;
  readonly capacity: number;
  readonly vnfcs: readonly VnfcRecord[];
  readonly interfaces: readonly InterfaceRecord[];
};

/** A scaling group of a stack: sizes from its template, `delta` members per step (its `_scale_out` policy). */
export interface StackGroup {
  readonly min: number;
  readonly max: number;
  readonly delta: number;
  /** Desired capacity at instantiation. */
  readonly initial: number;
}

const ASG = 'OS::Heat::AutoScalingGroup';
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** The scaling group `aspect` of a stack template; undefined when the stack has none of that name. */
export function stackGroupOf(template: HotDocument, aspect: string): StackGroup | undefined {
  const r = template.resources[aspect];
  if (r?.type !== ASG) return undefined;
  const p = r.properties ?? {};
  const min = num(p['min_size']) ?? 0;
  const initial = num(p['desired_capacity']) ?? num(template.parameters[capacityParam(aspect)]?.default) ?? min;
  const delta = Math.abs(num(template.resources[`${aspect}_scale_out`]?.properties?.['scaling_adjustment']) ?? 1) || 1;
  return { min, max: num(p['max_size']) ?? min, delta, initial };
}

const levelAt = (g: StackGroup, capacity: number): number => Math.max(0, Math.floor((capacity - g.min) / g.delta));

/** The stack a VNF was made as, when it runs as one (its computes were made by no compute step). */
export function stackOf(vnf: Pick<VnfInstance, 'memberId' | 'computeIds'>, build: NsBuild): Built<StackStepParams> | undefined {
  if (vnf.computeIds.length > 0 && vnf.computeIds.every((id) => build.computes.has(id))) return undefined;
  return build.stacks?.get(vnf.memberId);
}

/**
 * The current level of a VNF's aspect. A stack's: its recorded `scaleStatus` (else the
 * level its group was instantiated at); 422 `SCALE_NOT_SUPPORTED` when the stack has no
 * scaling group for the aspect (a VNFD whose translation has no groups, or a VNF whose
 * stack step is unknown). Containers: the levels their instances were added at.
 */
export function currentLevel(vnf: VnfInstance, build: NsBuild, aspect: ScaleAspect): number {
  if (vnf.computeIds.length > 0 && vnf.computeIds.every((id) => build.computes.has(id))) return scaleLevels(vnf.computeIds, build, [aspect]).get(aspect.id) ?? 0;
  const group = ((t) => (t ? stackGroupOf(t, aspect.id) : undefined))(build.stacks?.get(vnf.memberId)?.params.template);
  if (!group) {
    throw new RondoError('SCALE_NOT_SUPPORTED', `${vnf.memberId} runs as a Heat stack on PoP ${vnf.popId} without a scaling group for aspect ${aspect.id}; only SOL001 VNFDs get one per aspect`, {
      details: { vnfInstanceId: vnf.id, aspectId: aspect.id },
    });
  }
  return vnf.scaleStatus?.find((s) => s.aspectId === aspect.id)?.scaleLevel ?? levelAt(group, group.initial);
}

/**
 * Splits a SCALE's changes: those of VNFs running as Heat stacks become one `stack` step
 * each (phase `computes`), the others are left for the container planner. Pure.
 */
export function planStackScale(vnfs: readonly Pick<VnfInstance, 'memberId' | 'kind' | 'computeIds'>[], changes: readonly ScaleChange[], build: NsBuild, vnfds: Readonly<Record<string, Vnfd>> = {}): { steps: UnnumberedStep[]; rest: ScaleChange[] } {
  const steps: UnnumberedStep[] = [];
  const rest: ScaleChange[] = [];
  for (const change of changes) {
    const vnf = vnfs.find((v) => v.memberId === change.memberId && v.kind === 'vnf');
    const stack = vnf ? stackOf(vnf, build) : undefined;
    if (!stack) {
      rest.push(change);
      continue;
    }
    const p = stack.params;
    const group = stackGroupOf(p.template, change.aspectId);
    if (!group) throw new RondoError('SCALE_NOT_SUPPORTED', `stack ${p.name} has no scaling group ${change.aspectId}`, { details: { memberId: change.memberId, aspectId: change.aspectId } });
    const capacity = group.min + change.toLevel * group.delta;
    const params: StackScaleParams = {
      action: 'scale', name: p.name, memberId: p.memberId, aspectId: change.aspectId, fromLevel: change.fromLevel, toLevel: change.toLevel,
      capacity, previousCapacity: group.min + change.fromLevel * group.delta, parameters: scaleParameters(p.template, p.files, change.aspectId, capacity),
      vdus: p.vdus, interfaces: p.interfaces,
      vduDemand: Object.fromEntries((vnfds[p.memberId]?.vdus ?? []).map((v) => [v.id, { cpu: vduCpu(v), memoryMiB: v.memoryMiB }])),
    };
    steps.push({ phase: SCALE_PHASES.computes, kind: 'stack', target: p.name, popId: stack.popId, params });
  }
  return { steps, rest };
}

/** Members the stack's group has now: its `current_size` output, else the servers of its first VDU. */
function groupSize(s: HeatStackInfo, aspect: string, vdus: readonly string[]): number {
  const size = num(s.outputs[`${aspect}_current_size`]);
  return size ?? outputValues(s.outputs[`${vdus[0] ?? ''}_id`]).length;
}

/**
 * Runs a SCALE `stack` step: updates the stack to the step's capacity and waits until
 * Heat reports UPDATE_COMPLETE with the group at that size; then reads every server and
 * address from the outputs. A retry sets the same capacity again, which Heat completes
 * without change. Scale-in: Heat removes the group's oldest members first.
 * @throws VimError NOT_SUPPORTED (a driver without stack updates), what the update throws.
 */
export async function runStackScale(step: TypedOpStepWith<'stack', 'scale'>, driver: VimDriver, signal: AbortSignal, capacity?: number): Promise<StackScaleResult> {
  const heat = heatDriverOf(driver, step.popId);
  const p = step.params;
  if (!heat.updateStack) throw new VimError('NOT_SUPPORTED', driver.name, `PoP ${step.popId} (${driver.name}) cannot update Heat stacks, so it cannot scale ${p.memberId}`);
  const target = capacity ?? p.capacity;
  const parameters = { ...p.parameters, [capacityParam(p.aspectId)]: String(target) };
  const s = await heat.updateStack(p.name, parameters, { signal, done: (i) => groupSize(i, p.aspectId, p.vdus) === target });
  return stackScaleResult(p, s, target);
}

/** VNFC records of a stack's servers, VDU by VDU in output order. */
export function stackVnfcs(stack: string, vdus: readonly string[], outputs: Readonly<Record<string, unknown>>): VnfcRecord[] {
  return vdus.flatMap((vdu) => outputValues(outputs[`${vdu}_id`]).map((computeId) => ({ computeId, name: `${stack}-${vdu}`, vduId: vdu })));
}

/** Each scaling group of a stack template at the level it is instantiated at. */
export function stackScaleStatus(template: HotDocument): ScaleStatusEntry[] {
  return Object.keys(template.resources).flatMap((aspectId) => {
    const g = stackGroupOf(template, aspectId);
    return g ? [{ aspectId, scaleLevel: levelAt(g, g.initial) }] : [];
  });
}

function stackScaleResult(p: StackScaleParams, s: HeatStackInfo, capacity: number): StackScaleResult {
  const interfaces = p.interfaces.flatMap((i): InterfaceRecord[] => {
    const addresses = outputValues(s.outputs[`${i.vduCp}_ip`]);
    return (addresses.length > 0 ? addresses : [i.address]).map((address) => ({ cp: i.cp, linkId: i.linkId, address, prefix: i.prefix }));
  });
  return { name: p.name, capacity, vnfcs: stackVnfcs(p.name, p.vdus, s.outputs), interfaces };
}

/**
 * What the DONE SCALE `stack` steps change in the VNF records: the VNF's servers (one
 * VNFC per server, those a scale-out added marked with the aspect and level), its
 * addresses, and the aspect's level. The last step of a VNF wins. Idempotent.
 */
export function stackScalePatches(vnfs: readonly VnfInstance[], steps: readonly OpStep[]): Map<string, VnfPatch> {
  const out = new Map<string, VnfPatch>();
  for (const s of [...steps].sort((a, b) => a.seq - b.seq)) {
    const r = stackScaleResultOf(s);
    if (!r || !isStepOf(s, 'stack', 'scale')) continue;
    const p = s.params;
    const vnf = vnfs.find((v) => v.memberId === p.memberId && v.kind === 'vnf');
    if (!vnf) continue;
    out.set(vnf.id, stackPatch(vnf, p, r, p.toLevel));
  }
  return out;
}

/**
 * The patch of one VNF from a stack's servers after an update to `level` of the step's
 * aspect; its demand becomes the sum of its servers' (placement of later NSes sees it).
 */
export function stackPatch(vnf: VnfInstance, p: StackScaleParams, r: StackScaleResult, level: number): VnfPatch {
  const before = new Map((vnf.vnfcs ?? []).map((c) => [c.computeId, c]));
  const known = new Set(vnf.computeIds);
  const vnfcs = r.vnfcs.map((c): VnfcRecord => before.get(c.computeId) ?? (known.has(c.computeId) ? c : { ...c, aspectId: p.aspectId, scaleLevel: level }));
  const entry = { aspectId: p.aspectId, scaleLevel: level };
  const prior = vnf.scaleStatus ?? [];
  const scaleStatus = prior.some((x) => x.aspectId === p.aspectId) ? prior.map((x) => (x.aspectId === p.aspectId ? entry : x)) : [...prior, entry];
  const each = vnfcs.map((c) => (c.vduId === null ? undefined : p.vduDemand?.[c.vduId]));
  const demand = each.length > 0 && each.every((d) => d !== undefined)
    ? (each as Capacity[]).reduce((a, d) => ({ cpu: a.cpu + d.cpu, memoryMiB: a.memoryMiB + d.memoryMiB }), { cpu: 0, memoryMiB: 0 })
    : undefined;
  return { computeIds: vnfcs.map((c) => c.computeId), interfaces: [...r.interfaces], vnfcs, scaleStatus, ...(demand ? { demand } : {}) };
}
