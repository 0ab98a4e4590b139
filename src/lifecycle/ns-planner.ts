import type { CpRef, ErrorCodeWithStatus, Nsd, Vdu, VimAccount, VirtualLink, Vnfd } from '../model/index.js';
import { ConflictError, InternalError, RondoError, formatCpRef, imageMapOf, underlayOf } from '../model/index.js';
import { addressLink, vniOf } from '../ipam/index.js';
import type { LinkAddressing } from '../ipam/index.js';
import type { Placement } from '../placement/index.js';
import type { ComputeStepParams, NsPlan, PlannedInterface, PlannedNetwork, PlannedStep, UnnumberedStep, TunnelStepParams } from './ns-plan-types.js';
import { INSTANTIATE_PHASES } from './ns-plan-types.js';
import { computeName, engineKey, networkName } from './resource-names.js';
import { chainRoutes } from './service-chain.js';
import type { CpEndpoint } from './service-chain.js';
import { startCommandsByVdu } from './vnf-commands.js';
// Heat path: VNFs on OpenStack PoPs become one `stack` step each.
import type { HotBundle } from './heat-ports.js';
import { isHeatPop, stackStep } from './heat-plan.js';
import type { StackStepParams } from './heat-plan.js';

/** Image and command of the small containers that stand for SAPs. */
export const SAP_IMAGE = 'vnf/sap:latest';
// A shell loop rather than `sleep infinity`: busybox's sleep may not take "infinity", and
// PID 1 without a TERM handler would make every `docker stop` wait the full grace period.
export const SAP_COMMAND = ['sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'] as const;

/** Everything planning needs; no I/O happens while planning. */
export interface PlanInput {
  readonly nsInstanceId: string;
  readonly nsd: Nsd;
  /** VNFDs by member `vnfId`. */
  readonly vnfds: Readonly<Record<string, Vnfd>>;
  readonly accounts: readonly VimAccount[];
  readonly placement: Placement;
  /** Subnet (CIDR) of every virtual link, by link id. */
  readonly subnets: ReadonlyMap<string, string>;
  readonly sapImage?: string;
  /** HOT translations by member `vnfId`, for the VNFs placed on OpenStack PoPs (see heat-plan.ts `loadHots`). */
  readonly hots?: Readonly<Record<string, HotBundle>>;
  /** Bandwidth of links by link id, Mbit/s (an instantiation parameter): overrides the NSD's. */
  readonly linkBandwidths?: ReadonlyMap<string, number>;
}

const conflict = (code: ErrorCodeWithStatus<409>, message: string, details: Record<string, unknown> = {}): ConflictError => new ConflictError(message, { code, details });

/** Image formats of workloads that only a Kubernetes cluster runs (SOL006 KDUs). */
const KUBERNETES_FORMATS = new Set(['helm-chart', 'juju-bundle']);

/** Refuses a VNF with a Kubernetes workload (a KNF): no PoP type Rondo has runs one. */
export function requireNoKubernetesWorkload(vnfId: string, vnfd: Vnfd, account: VimAccount): void {
  const k8s = vnfd.vdus.find((v) => KUBERNETES_FORMATS.has(v.imageFormat));
  if (!k8s) return;
  throw conflict(
    'PLAN_NEEDS_KUBERNETES',
    `VNF ${vnfId} (${vnfd.descriptorId}) is a Kubernetes workload (${k8s.imageFormat} ${k8s.image} of ${k8s.id}): it needs a Kubernetes PoP, and PoP ${account.id} is ${account.type}`,
    { vnfId, vduId: k8s.id, image: k8s.image, popId: account.id },
  );
}

/**
 * The image a VDU runs on a container PoP: the alternative image for the PoP's VIM type if
 * the VNFD names one, mapped through the PoP's image map (`rondo vim update <pop>
 * --image-map vm=container`) when an entry matches; a container image as it is. A VM image
 * (qcow2, raw, ...) without a map entry cannot run on Docker: RondoError
 * `PLAN_IMAGE_UNMAPPED` (422) naming the image and the PoP, raised while planning, before
 * anything is created. The memory VIM runs any name.
 */
export function containerImage(vnfId: string, vdu: Vdu, account: VimAccount): string {
  const alternative = vdu.alternativeImages?.find((a) => a.vimType === account.type)?.image;
  const wanted = alternative ?? vdu.image;
  const map = imageMapOf(account);
  const mapped = map[wanted] ?? map[vdu.image];
  if (mapped !== undefined) return mapped;
  if (vdu.imageFormat === 'docker' || account.type !== 'docker') return wanted;
  throw new RondoError(
    'PLAN_IMAGE_UNMAPPED',
    `VDU ${vdu.id} of VNF ${vnfId} needs VM image ${wanted} (${vdu.imageFormat}), which Docker PoP ${account.id} cannot run and its image map does not name; map it: rondo vim update ${account.id} --image-map ${wanted}=<container image>`,
    { details: { vnfId, vduId: vdu.id, image: wanted, popId: account.id } },
  );
}

/**
 * Turns an NSD, its placement and its subnets into the steps of an INSTANTIATE: phase 0
 * networks (one per virtual link, on the engine of its endpoints), phase 1 computes
 * (every VDU of every VNF and every SAP, interfaces with fixed addresses in CP order),
 * phase 2 chaining routes, phase 3 start commands. Pure and deterministic.
 *
 * A link whose endpoints sit on PoPs of different engines becomes one segment (network)
 * per engine, all with the link's subnet, joined by a `tunnel` step (phase 1): addresses
 * and routes are the same as on one PoP.
 *
 * Throws ConflictError `PLAN_CROSS_VIM_LINK` for a link across VIM types, `PLAN_NO_UNDERLAY`
 * for one across engines of which one has no underlay, `PLAN_UNKNOWN_CP` / `PLAN_MISSING_VNFD` / `PLAN_UNPLACED` for an
 * NSD that does not match its VNFDs or placement, `IPAM_LINK_TOO_LARGE` when a link has
 * more endpoints than its subnet, and what {@link chainRoutes} throws.
 */
export function planNs(input: PlanInput): NsPlan {
  const { nsInstanceId: ns, nsd, vnfds, placement } = input;
  const accountById = new Map(input.accounts.map((a) => [a.id, a]));
  const popOf = (member: string): string => {
    const pop = placement[member];
    if (pop === undefined || !accountById.has(pop)) throw conflict('PLAN_UNPLACED', `${member} is not placed on a known PoP`, { member });
    return pop;
  };
  const vnfdOf = (vnfId: string): Vnfd => {
    const d = vnfds[vnfId];
    if (!d) throw conflict('PLAN_MISSING_VNFD', `no VNFD for member ${vnfId}; on-board its package first`, { vnfId });
    return d;
  };
  const memberOf = (ref: CpRef): string => (ref.kind === 'vnf' ? ref.vnfId : ref.sap);

  // Where each CP reference lands: compute name and (for VNFs) the VDU CP realising it.
  const computeOfRef = (ref: CpRef): { compute: string; vduCp: string | null; vdu: string | null } => {
    if (ref.kind === 'sap') return { compute: computeName(ns, ref.sap), vduCp: null, vdu: null };
    const vnfd = vnfdOf(ref.vnfId);
    const cp = vnfd.connectionPoints.find((c) => c.id === ref.cp);
    if (!cp) throw conflict('PLAN_UNKNOWN_CP', `VNF ${ref.vnfId} (${vnfd.descriptorId}) has no connection point ${ref.cp}`, { ref: formatCpRef(ref) });
    return { compute: computeName(ns, ref.vnfId, vnfd.vdus.length > 1 ? cp.vdu : undefined), vduCp: cp.vduCp, vdu: cp.vdu };
  };

  const addressing = new Map<string, LinkAddressing>();
  const endpoints = new Map<string, CpEndpoint>();
  // compute name → interfaces with a sort key (VDU CP position, or link order for SAPs)
  const interfaces = new Map<string, { key: number; itf: PlannedInterface }[]>();
  const networks: PlannedNetwork[] = [];
  const tunnels: TunnelStepParams[] = [];
  const bandwidth = (link: VirtualLink): number | undefined => input.linkBandwidths?.get(link.id) ?? link.bandwidthMbps;
  nsd.virtualLinks.forEach((link, linkIndex) => {
    const subnet = input.subnets.get(link.id);
    if (subnet === undefined) throw new InternalError(`no subnet allocated for link ${link.id}`);
    let a: LinkAddressing;
    try {
      a = addressLink(link, subnet);
    } catch (e) {
      throw new ConflictError(`link ${link.id} has ${link.cpRefs.length} endpoints, more than subnet ${subnet} holds`, { code: 'IPAM_LINK_TOO_LARGE', cause: e, details: { linkId: link.id } });
    }
    addressing.set(link.id, a);
    const name = networkName(ns, link.id);
    for (const ref of link.cpRefs) {
      const key = formatCpRef(ref);
      const at = computeOfRef(ref);
      const address = a.addresses.get(key) as string;
      if (!endpoints.has(key)) endpoints.set(key, { linkId: link.id, subnet, address, compute: at.compute });
      const vdu = ref.kind === 'vnf' ? vnfdOf(ref.vnfId).vdus.find((v) => v.id === at.vdu) : undefined;
      const order = vdu ? vdu.connectionPoints.findIndex((c) => c.id === at.vduCp) : linkIndex;
      const list = interfaces.get(at.compute) ?? [];
      list.push({ key: order * 100_000 + linkIndex, itf: { network: name, linkId: link.id, cp: ref.kind === 'vnf' ? ref.cp : ref.sap, address, prefix: a.prefix } });
      interfaces.set(at.compute, list);
    }
    const pops = [...new Set(link.cpRefs.map((r) => popOf(memberOf(r))))];
    const engines = [...new Set(pops.map((p) => engineKey(accountById.get(p) as VimAccount)))];
    if (engines.length > 1) {
      tunnels.push(interPopLink(ns, link, name, subnet, a, pops.map((p) => accountById.get(p) as VimAccount), (ref) => popOf(memberOf(ref)), bandwidth(link)));
      // One segment per engine, all with the link's one subnet; only the first one's bridge holds the gateway.
      engines.forEach((engine, i) => {
        const here = pops.filter((p) => engineKey(accountById.get(p) as VimAccount) === engine);
        networks.push({
          linkId: link.id, name, subnet, gateway: a.gateway, popId: here[0] as string, engine, tunnelled: true, ...(i > 0 ? { noGateway: true } : {}), ...(here.length > 1 ? { pops: here } : {}),
        });
      });
      return;
    }
    const popId = pops[0] ?? (input.accounts[0]?.id as string);
    const account = accountById.get(popId);
    // PoPs that are labels on one engine share the link's network: it is labelled for each (the drivers refuse other PoPs' computes).
    networks.push({ linkId: link.id, name, subnet, gateway: a.gateway, popId, engine: account ? engineKey(account) : '', ...(pops.length > 1 ? { pops } : {}) });
  });
  const interfacesOf = (compute: string): PlannedInterface[] =>
    (interfaces.get(compute) ?? []).sort((x, y) => x.key - y.key).map((x) => x.itf);

  const computes: (ComputeStepParams & { popId: string })[] = [];
  const starts: { compute: string; popId: string; commands: string[] }[] = [];
  const stacks: (StackStepParams & { popId: string })[] = [];
  const stackComputes = new Set<string>();
  for (const member of nsd.vnfs) {
    const vnfd = vnfdOf(member.vnfId);
    const popId = popOf(member.vnfId);
    requireNoKubernetesWorkload(member.vnfId, vnfd, accountById.get(popId) as VimAccount);
    if (isHeatPop(accountById.get(popId))) {
      // Heat path: the whole VNF (VDUs, ports, internal links) is one stack; no start commands (no exec on OpenStack).
      const names = vnfd.vdus.map((vdu) => computeName(ns, member.vnfId, vnfd.vdus.length > 1 ? vdu.id : undefined));
      names.forEach((n) => stackComputes.add(n));
      // The PoP's image map (and its VIM type's alternative images) apply to Glance names as to Docker images.
      const account = accountById.get(popId) as VimAccount;
      const images = Object.fromEntries(vnfd.vdus.map((v) => [v.id, containerImage(member.vnfId, v, account)] as const).filter(([id, image]) => image !== vnfd.vdus.find((v) => v.id === id)?.image));
      stacks.push({ ...stackStep(ns, member.vnfId, vnfd, popId, names.flatMap(interfacesOf), input.hots?.[member.vnfId], images), popId });
      continue;
    }
    const commands = startCommandsByVdu(vnfd);
    for (const vdu of vnfd.vdus) {
      const name = computeName(ns, member.vnfId, vnfd.vdus.length > 1 ? vdu.id : undefined);
      computes.push({
        action: 'create', name, popId, memberId: member.vnfId, memberKind: 'vnf', vduId: vdu.id, vnfdId: vnfd.descriptorId,
        vnfdRef: `${vnfd.ref.vendor}/${vnfd.ref.name}/${vnfd.ref.version}`, image: containerImage(member.vnfId, vdu, accountById.get(popId) as VimAccount), vcpus: vdu.vcpus,
        ...(vdu.cpuBw === undefined ? {} : { cpuBw: vdu.cpuBw }), memoryMiB: vdu.memoryMiB, interfaces: interfacesOf(name),
        env: { ...vdu.env, RONDO_NS: ns, RONDO_VNF: member.vnfId, RONDO_VDU: vdu.id },
      });
      const cmds = commands.get(vdu.id) ?? [];
      if (cmds.length > 0) starts.push({ compute: name, popId, commands: cmds });
    }
  }
  for (const sap of nsd.saps) {
    const name = computeName(ns, sap.id);
    computes.push({
      action: 'create', name, popId: popOf(sap.id), memberId: sap.id, memberKind: 'sap', vduId: null, vnfdId: null, vnfdRef: null,
      image: input.sapImage ?? SAP_IMAGE, vcpus: 1, cpuBw: 0.1, memoryMiB: 32, interfaces: interfacesOf(name),
      env: { RONDO_NS: ns, RONDO_SAP: sap.id }, command: [...SAP_COMMAND],
    });
  }
  const names = new Set<string>();
  for (const c of computes) {
    if (names.has(c.name)) throw conflict('PLAN_NAME_CLASH', `two members map to compute name ${c.name}; rename a SAP or VNF`, { name: c.name });
    names.add(c.name);
  }
  const popOfCompute = new Map(computes.map((c) => [c.name, c.popId]));

  const steps: PlannedStep[] = [];
  const push = (s: UnnumberedStep): void => void steps.push({ ...s, seq: steps.length });
  for (const n of networks) {
    push({
      phase: INSTANTIATE_PHASES.networks, kind: 'network', target: n.name, popId: n.popId,
      params: {
        action: 'create', name: n.name, linkId: n.linkId, subnet: n.subnet, gateway: n.gateway, ...(n.pops ? { pops: n.pops } : {}),
        ...(n.tunnelled ? { mtu: TUNNEL_SEGMENT_MTU } : {}), ...(n.noGateway ? { noGateway: true } : {}),
      },
    });
  }
  // Tunnels with the computes: they need only their segments, made in phase 0.
  for (const t of tunnels) push({ phase: INSTANTIATE_PHASES.computes, kind: 'tunnel', target: t.name, popId: t.endpoints[0]?.popId as string, params: t });
  for (const { popId, ...c } of computes) push({ phase: INSTANTIATE_PHASES.computes, kind: 'compute', target: c.name, popId, params: c });
  for (const { popId, ...s } of stacks) push({ phase: INSTANTIATE_PHASES.computes, kind: 'stack', target: s.name, popId, params: s });
  for (const [compute, routes] of chainRoutes(nsd.forwardingGraphs, endpoints)) {
    if (stackComputes.has(compute)) {
      throw conflict('PLAN_CHAIN_UNSUPPORTED', `forwarding graph routes through ${compute}, a VNF deployed as a Heat stack (no exec on OpenStack); place it on a Docker PoP`, { compute });
    }
    push({ phase: INSTANTIATE_PHASES.routes, kind: 'route', target: compute, popId: popOfCompute.get(compute) as string, params: { compute, routes } });
  }
  for (const s of starts) push({ phase: INSTANTIATE_PHASES.starts, kind: 'start', target: s.compute, popId: s.popId, params: { compute: s.compute, commands: s.commands, detach: true } });
  return { nsInstanceId: ns, placement, networks, computes: computes.map(({ popId: _p, ...c }) => c), steps };
}

/** MTU of a tunnelled link's segments: 1500 less the VXLAN header over IPv4. */
export const TUNNEL_SEGMENT_MTU = 1450;

/**
 * The `tunnel` step of a link whose members sit on PoPs of different engines: one
 * endpoint per engine (on the first of the link's PoPs there), each borrowing the address
 * of a member on another engine to join its segment (no compute of its own engine uses
 * it). Throws ConflictError `PLAN_CROSS_VIM_LINK` when the PoPs are not all Docker (or
 * all memory) PoPs, `PLAN_NO_UNDERLAY` when one of them has no underlay ({@link underlayOf}).
 */
function interPopLink(
  ns: string, link: VirtualLink, network: string, subnet: string, a: LinkAddressing, accounts: readonly VimAccount[], popOfRef: (ref: CpRef) => string, bandwidthMbps: number | undefined,
): TunnelStepParams {
  const pops = accounts.map((x) => x.id);
  const types = [...new Set(accounts.map((x) => x.type))];
  if (types.length > 1 || !TUNNEL_VIM_TYPES.has(types[0] as string)) {
    throw conflict('PLAN_CROSS_VIM_LINK', `link ${link.id} joins PoPs ${pops.join(', ')} on different VIMs (${types.join(', ')}); inter-PoP tunnels join Docker PoPs only: pin its endpoints to PoPs of one VIM or use another placement`, { linkId: link.id, pops });
  }
  const without = accounts.filter((x) => underlayOf(x) === null).map((x) => x.id);
  if (without.length > 0) {
    throw conflict(
      'PLAN_NO_UNDERLAY',
      `link ${link.id} joins PoPs ${pops.join(', ')} on different engines, and PoP ${without.join(', ')} has no underlay a tunnel could cross; set its underlay (rondo vim update <pop> --config underlay=<network>) or place the link's members on one engine`,
      { linkId: link.id, pops, withoutUnderlay: without },
    );
  }
  const engineOf = new Map(accounts.map((x) => [x.id, engineKey(x)]));
  const firsts = [...new Map(accounts.map((x) => [engineKey(x), x] as const)).values()];
  const endpoints = firsts.map((acc) => {
    const remote = link.cpRefs.find((r) => engineOf.get(popOfRef(r)) !== engineKey(acc)) as CpRef;
    return { popId: acc.id, name: `${network}-tun`, network, address: a.addresses.get(formatCpRef(remote)) as string, underlay: underlayOf(acc) as string };
  });
  return { action: 'create', name: `${network}-tun`, linkId: link.id, subnet, vni: vniOf(subnet), endpoints, ...(bandwidthMbps === undefined ? {} : { bandwidthMbps }) };
}

/** VIM types whose drivers make tunnel endpoints. */
const TUNNEL_VIM_TYPES = new Set(['docker', 'memory']);
