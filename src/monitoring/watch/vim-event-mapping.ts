import { LABEL_NS, LABEL_POP, LABEL_VNF } from '../../vim/index.js';
import type { Labels, VimEvent } from '../../vim/index.js';
import type { MonitoredCompute } from './stats-source.js';
import type { VnfEvent } from '../monitoring-events.js';

/**
 * Maps a VIM event to the internal VNF event, or null when the compute is not a Rondo
 * VNF (no `rondo.ns`/`rondo.vnf` labels). `compute.died` → `vnf.down`, `compute.oom` →
 * `vnf.oom`, `compute.started` and a healthy `compute.health` → `vnf.up`, an unhealthy one
 * → `vnf.unhealthy`. `popId` is used when the labels do not name the PoP.
 */
export function toVnfEvent(e: VimEvent, popId: string): VnfEvent | null {
  const ref = vnfRef(e.labels, popId);
  if (!ref) return null;
  const base = { ...ref, computeId: e.computeId, ...(e.computeName ? { computeName: e.computeName } : {}), at: e.at };
  switch (e.type) {
    case 'compute.died':
      return { type: 'vnf.down', ...base, ...(e.exitCode === undefined ? {} : { exitCode: e.exitCode }) };
    case 'compute.oom':
      return { type: 'vnf.oom', ...base };
    case 'compute.started':
      return { type: 'vnf.up', ...base };
    case 'compute.health':
      return { type: e.healthy ? 'vnf.up' : 'vnf.unhealthy', ...base };
  }
}

/** The NS, VNF and PoP a labelled resource belongs to, or null when it is not a VNF's. */
export function vnfRef(labels: Labels, popId: string): Pick<MonitoredCompute, 'nsId' | 'vnfId' | 'popId'> | null {
  const nsId = labels[LABEL_NS];
  const vnfId = labels[LABEL_VNF];
  if (!nsId || !vnfId) return null;
  return { nsId, vnfId, popId: labels[LABEL_POP] ?? popId };
}
