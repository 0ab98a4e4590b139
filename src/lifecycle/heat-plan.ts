import type { Capacity, Nsd, VimAccount, Vnfd } from '../model/index.js';
import { ConflictError } from '../model/index.js';
import type { HotBundle, HotDocument, HotSource } from './heat-ports.js';
import { stackTemplate } from './heat-stack-template.js';
import type { PlannedInterface } from './ns-plan-types.js';
import { vnfDemand } from './ns-placement.js';
import { computeName } from './resource-names.js';

/** An NS-link interface of a stack VNF: the planned interface plus the VDU CP realising it. */
export interface StackInterface extends PlannedInterface {
  readonly vdu: string;
  readonly vduCp: string;
}

/** `stack` step: create the Heat stack of one VNF (every VDU, port and internal link). A type alias: see ns-plan-types.ts. */
export type StackStepParams = {
  readonly action: 'create';
  /** Stack name, `rondo-<ns8>-<vnfId>`. */
  readonly name: string;
  readonly memberId: string;
  readonly vnfdId: string;
  readonly vnfdRef: string;
  readonly template: HotDocument;
  readonly files: Readonly<Record<string, HotDocument>>;
  readonly parameters: Readonly<Record<string, string>>;
  readonly images: readonly string[];
  readonly vdus: readonly string[];
  readonly interfaces: readonly StackInterface[];
  readonly demand: Capacity;
};

/** TERMINATE `stack` step: delete the NS's stacks on one PoP. */
export type StackSweepParams = {
  readonly action: 'sweep';
  /** Stack names to delete (missing ones are fine); stacks found by label are added. */
  readonly names: readonly string[];
};

/** What a DONE `stack` step records (and the VNFR is made from). */
export type StackStepResult = {
  readonly stackId: string;
  readonly name: string;
  readonly computeIds: readonly string[];
  readonly interfaces: readonly (PlannedInterface & { readonly vduCp: string })[];
  readonly outputs: Readonly<Record<string, unknown>>;
};

/** Stack name of a VNF: `rondo-<ns8>-<vnfId>` (the compute naming scheme, without VDU). */
export const stackName = (nsInstanceId: string, vnfId: string): string => computeName(nsInstanceId, vnfId);

/** Whether a PoP deploys VNFs as Heat stacks (OpenStack accounts do). */
export const isHeatPop = (account: Pick<VimAccount, 'type'> | undefined): boolean => account?.type === 'openstack';

/** Ids of the PoPs that deploy VNFs as Heat stacks. */
export const heatPopIds = (accounts: readonly VimAccount[]): string[] => accounts.filter(isHeatPop).map((a) => a.id);

/**
 * The `stack` step of a VNF placed on a Heat PoP. `interfaces` are the VNF's planned
 * interfaces on NS links (cp = the VNF's external CP id); `images` the image to boot per
 * VDU where the PoP's image map or alternative images replace the VNFD's.
 * @throws ConflictError `PLAN_HOT_UNAVAILABLE` without a translation, and what
 *   {@link stackTemplate} throws.
 */
export function stackStep(
  nsInstanceId: string, vnfId: string, vnfd: Vnfd, popId: string, interfaces: readonly PlannedInterface[], hot: HotBundle | undefined, images: Readonly<Record<string, string>> = {},
): StackStepParams {
  if (!hot) {
    throw new ConflictError(`VNF ${vnfId} is placed on PoP ${popId}, which deploys VNFs as Heat stacks, but no HOT translation of its VNFD is available; use a SOL001 VNFD or another PoP`, {
      code: 'PLAN_HOT_UNAVAILABLE', details: { vnfId, popId },
    });
  }
  const name = stackName(nsInstanceId, vnfId);
  const itfs: StackInterface[] = interfaces.map((i) => {
    const cp = vnfd.connectionPoints.find((c) => c.id === i.cp);
    return { ...i, vdu: cp?.vdu ?? '', vduCp: cp?.vduCp ?? i.cp };
  });
  const t = stackTemplate(hot, name, itfs.map((i) => ({ vduCp: i.vduCp, network: i.network, address: i.address })), { 'rondo.ns': nsInstanceId, 'rondo.vnf': vnfId }, images);
  return {
    action: 'create', name, memberId: vnfId, vnfdId: vnfd.descriptorId, vnfdRef: `${vnfd.ref.vendor}/${vnfd.ref.name}/${vnfd.ref.version}`,
    template: t.template, files: t.files, parameters: t.parameters, images: t.images, vdus: vnfd.vdus.map((v) => v.id), interfaces: itfs, demand: vnfDemand(vnfd),
  };
}

/**
 * The HOT translations the plan needs: those of the VNFs `placement` puts on Heat PoPs,
 * none (and no call) when there are none.
 * @throws ConflictError `PLAN_HOT_UNAVAILABLE` when such a VNF exists but no HotSource is wired; what the source throws.
 */
export async function loadHots(source: HotSource | undefined, nsdInfoId: string, nsd: Nsd, placement: Readonly<Record<string, string>>, accounts: readonly VimAccount[]): Promise<Readonly<Record<string, HotBundle>>> {
  const heat = new Set(heatPopIds(accounts));
  const vnfIds = nsd.vnfs.map((m) => m.vnfId).filter((id) => heat.has(placement[id] ?? ''));
  if (vnfIds.length === 0) return {};
  if (!source) {
    throw new ConflictError(`VNFs ${vnfIds.join(', ')} are placed on OpenStack PoPs but this Rondo has no HOT source wired; pin them to other PoPs`, { code: 'PLAN_HOT_UNAVAILABLE', details: { vnfIds } });
  }
  return source.getHots(nsdInfoId, vnfIds);
}

/**
 * Names of the stacks an NS may have on a Heat PoP: one per VNF member, known from the
 * VNFRs and the NSD's members (a stack whose create failed has no VNFR).
 */
export const stackNamesOf = (nsInstanceId: string, memberIds: Iterable<string>): string[] => [...new Set([...memberIds].map((m) => stackName(nsInstanceId, m)))].sort();
