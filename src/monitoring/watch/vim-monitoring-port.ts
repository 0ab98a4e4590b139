import type { ComputeState, VimDriver } from '../../vim/index.js';
import type { MonitoredCompute, StatsSource } from './stats-source.js';
import { vnfRef } from './vim-event-mapping.js';

/** What monitoring needs from one VIM (PoP): its VNF computes, their state, their stats. */
export interface VimMonitoringPort {
  readonly popId: string;
  /** Every compute of a Rondo VNF on this VIM. */
  listComputes(signal?: AbortSignal): Promise<MonitoredCompute[]>;
  /** Current state; DELETED when gone. */
  computeState(computeId: string, signal?: AbortSignal): Promise<ComputeState>;
  /** Absent when the VIM cannot report resource use. */
  readonly stats?: StatsSource;
}

/**
 * Adapts a {@link VimDriver} bound to `popId` (its computes labelled `rondo.ns` and
 * `rondo.vnf`) plus an optional stats source into a {@link VimMonitoringPort}.
 */
export function vimMonitoringPort(popId: string, driver: Pick<VimDriver, 'listByLabel' | 'status'>, stats?: StatsSource): VimMonitoringPort {
  return {
    popId,
    async listComputes(signal) {
      const found = await driver.listByLabel({}, signal);
      const out: MonitoredCompute[] = [];
      for (const r of found) {
        if (r.kind !== 'compute') continue;
        const ref = vnfRef(r.labels, popId);
        if (ref) out.push({ computeId: r.id, computeName: r.name, ...ref });
      }
      return out;
    },
    async computeState(computeId, signal) {
      return (await driver.status(computeId, signal)).state;
    },
    ...(stats ? { stats } : {}),
  };
}
