import type { VnfInstance, Vnfd } from '../model/index.js';
import type { PlannedStep, UnnumberedStep } from './ns-plan-types.js';
import { TERMINATE_PHASES } from './ns-plan-types.js';
import { computeName } from './resource-names.js';
import { stopCommandsByVdu } from './vnf-commands.js';
import { stackNamesOf } from './heat-plan.js';

/** What a TERMINATE plan is made from. */
export interface TerminatePlanInput {
  readonly nsInstanceId: string;
  readonly vnfs: readonly VnfInstance[];
  /** VNFDs by member id; members without one get no stop commands. */
  readonly vnfds: Readonly<Record<string, Vnfd>>;
  /** Every PoP the NS ever touched. */
  readonly popIds: readonly string[];
  /** PoPs that deploy VNFs as Heat stacks (OpenStack): they get a `stack` sweep before the network sweep. */
  readonly heatPopIds?: readonly string[];
}

/**
 * TERMINATE: phase 0 runs stop commands (`stopCommands`, `SON_EMU_CMD_STOP`) in the
 * VNFs; phase 1 deletes every compute labelled `rondo.ns=<id>` on each PoP, phase 2
 * every such network — found by label, not by record, so nothing half-made survives.
 */
export function planTerminate(input: TerminatePlanInput): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const push = (s: UnnumberedStep): void => void steps.push({ ...s, seq: steps.length });
  for (const vnf of input.vnfs) {
    const vnfd = vnf.kind === 'vnf' ? input.vnfds[vnf.memberId] : undefined;
    if (!vnfd) continue;
    for (const [vduId, commands] of stopCommandsByVdu(vnfd)) {
      if (commands.length === 0) continue;
      const compute = computeName(input.nsInstanceId, vnf.memberId, vnfd.vdus.length > 1 ? vduId : undefined);
      push({ phase: TERMINATE_PHASES.stops, kind: 'stop', target: compute, popId: vnf.popId, params: { compute, commands, detach: false } });
    }
  }
  const pops = [...new Set(input.popIds)].sort();
  for (const popId of pops) push({ phase: TERMINATE_PHASES.computes, kind: 'compute', target: popId, popId, params: { action: 'sweep' } });
  // Heat path: stacks go with the computes, before the NS networks their ports sit on.
  const members = [...input.vnfs.filter((v) => v.kind === 'vnf').map((v) => v.memberId), ...Object.keys(input.vnfds)];
  for (const popId of pops.filter((p) => input.heatPopIds?.includes(p))) {
    push({ phase: TERMINATE_PHASES.computes, kind: 'stack', target: popId, popId, params: { action: 'sweep', names: stackNamesOf(input.nsInstanceId, members) } });
  }
  for (const popId of pops) push({ phase: TERMINATE_PHASES.networks, kind: 'network', target: popId, popId, params: { action: 'sweep' } });
  return steps;
}
