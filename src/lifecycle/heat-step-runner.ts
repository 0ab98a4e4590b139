import type { OpStep } from '../model/index.js';
import { VimError } from '../model/index.js';
import { LABEL_NS, LABEL_POP, LABEL_STEP, LABEL_VNF } from '../vim/vim-driver.js';
import type { VimDriver } from '../vim/vim-driver.js';
import type { ExecutorDeps } from './executor-deps.js';
import type { HeatStackDriver, HeatStackInfo, HotDocument } from './heat-ports.js';
import { heatDriverOf } from './heat-ports.js';
import type { StackStepParams, StackStepResult, StackSweepParams } from './heat-plan.js';
import { isStepOf, stackResultOf } from './op-step-view.js';
import type { TypedOpStep } from './op-step-view.js';
import { outputValues } from './heat-stack-template.js';
import { runStackScale, stackScaleStatus, stackVnfcs } from './heat-scale.js';
import type { StoredOpOcc, VnfRecord } from './ports.js';
import { forEachInLanes } from './lanes.js';

/** What a `stack` step needs besides its params. */
export interface StackStepContext {
  readonly nsInstanceId: string;
  readonly signal: AbortSignal;
  /** How many stack deletions of a sweep run at once. */
  readonly sweepConcurrency: number;
}

/**
 * Runs a `stack` step on its PoP's driver. `create`: checks the images exist, creates the
 * stack (idempotent by name: an existing one is reused; one left `*_FAILED` by an earlier
 * attempt is deleted and made again, so `retry` works), waits for CREATE_COMPLETE and reads
 * the server ids and port addresses from the outputs. `sweep`: deletes the stacks and waits
 * until they are gone. `scale` (SCALE): see {@link runStackScale}.
 * @throws VimError NOT_SUPPORTED (PoP without Heat), NOT_FOUND (image), QUOTA or
 *   UNEXPECTED_RESPONSE with Heat's reason (stack failed), TIMEOUT.
 */
export async function runStackStep(step: TypedOpStep<'stack'>, ctx: StackStepContext, driver: VimDriver): Promise<Record<string, unknown>> {
  const heat = heatDriverOf(driver, step.popId);
  if (isStepOf(step, 'stack', 'scale')) return runStackScale(step, driver, ctx.signal);
  const p = step.params;
  if (p.action === 'sweep') return sweepStacks(heat, ctx, p);
  const ids = new Map<string, string>();
  for (const image of p.images) {
    const id = heat.imageId ? await heat.imageId(image, ctx.signal) : (await driver.hasImage(image, ctx.signal)) ? image : undefined;
    if (id === undefined) throw new VimError('NOT_FOUND', driver.name, `image ${image} of VNF ${p.memberId} is not in Glance (or not active); upload it under that name, then retry`);
    ids.set(image, id);
  }
  const { template, files } = withImageIds(p, ids);
  const labels = { [LABEL_NS]: ctx.nsInstanceId, [LABEL_VNF]: p.memberId, [LABEL_STEP]: step.id, [LABEL_POP]: step.popId };
  const info = await heat.createStack(p.name, template, files, p.parameters, labels, ctx.signal);
  if (/^(CREATE|DELETE|ROLLBACK)_FAILED$/.test(info.status) || info.status.startsWith('DELETE_')) {
    // Left by an earlier attempt (disable_rollback keeps failed stacks for diagnosis): start afresh.
    await heat.deleteStack(p.name, { signal: ctx.signal });
    await heat.createStack(p.name, template, files, p.parameters, labels, ctx.signal);
  }
  const done = await heat.waitStack(p.name, { signal: ctx.signal });
  return stackResult(p, done);
}

/** The templates with each server's image name replaced by the image's id. */
function withImageIds(p: StackStepParams, ids: ReadonlyMap<string, string>): { template: HotDocument; files: Record<string, HotDocument> } {
  const swap = (doc: HotDocument): HotDocument => ({
    ...doc,
    resources: Object.fromEntries(Object.entries(doc.resources).map(([name, r]) => {
      const image = r.properties?.['image'];
      return [name, typeof image === 'string' && ids.has(image) ? { ...r, properties: { ...r.properties, image: ids.get(image) } } : r];
    })),
  });
  return { template: swap(p.template), files: Object.fromEntries(Object.entries(p.files).map(([f, d]) => [f, swap(d)])) };
}

function stackResult(p: StackStepParams, s: HeatStackInfo): StackStepResult {
  const computeIds = p.vdus.flatMap((vdu) => outputValues(s.outputs[`${vdu}_id`]));
  return {
    stackId: s.id,
    name: s.name,
    computeIds,
    interfaces: p.interfaces.map(({ vdu: _v, ...i }) => ({ ...i, address: outputValues(s.outputs[`${i.vduCp}_ip`])[0] ?? i.address })),
    outputs: s.outputs,
  };
}

async function sweepStacks(heat: HeatStackDriver, ctx: StackStepContext, p: StackSweepParams): Promise<Record<string, unknown>> {
  const labelled = heat.listStacks ? (await heat.listStacks({ [LABEL_NS]: ctx.nsInstanceId }, ctx.signal)).map((s) => s.name) : [];
  const names = [...new Set([...p.names, ...labelled])];
  await forEachInLanes(names, ctx.sweepConcurrency, (n) => heat.deleteStack(n, { signal: ctx.signal }));
  return { deleted: names };
}

/** Rollback of a `stack` step: deletes its stack and waits until it is gone (missing is fine). */
export async function undoStackStep(step: OpStep, driver: VimDriver, signal: AbortSignal): Promise<void> {
  if (isStepOf(step, 'stack', 'create')) await heatDriverOf(driver, step.popId).deleteStack(step.params.name, { signal });
}

/** VNFRs from the op's DONE `stack` steps (one per VNF, one VNFC per server, each scaling group's level), written in one batch. */
export async function recordStackVnfs(op: StoredOpOcc, steps: readonly OpStep[], deps: ExecutorDeps, pkgIds: Readonly<Record<string, string>> = {}): Promise<void> {
  const createdAt = deps.clock.now().toISOString();
  const records: VnfRecord[] = [];
  for (const s of steps) {
    const r = stackResultOf(s);
    if (!r || !isStepOf(s, 'stack', 'create')) continue;
    const p = s.params;
    records.push({
      id: deps.ids.next(), nsInstanceId: op.nsInstanceId, memberId: p.memberId, kind: 'vnf', vnfdId: p.vnfdId, vnfdRef: p.vnfdRef, vnfPkgId: pkgIds[p.memberId] ?? null, popId: s.popId,
      computeIds: r.computeIds, interfaces: r.interfaces.map((i) => ({ cp: i.cp, linkId: i.linkId, address: i.address, prefix: i.prefix })),
      state: 'STARTED', createdAt, demand: p.demand,
      vnfcs: stackVnfcs(p.name, p.vdus, r.outputs), scaleStatus: stackScaleStatus(p.template),
    });
  }
  if (records.length > 0) await deps.repos.vnfInstances.upsertMany(records);
}
