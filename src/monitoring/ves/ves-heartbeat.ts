import type { VesEvent } from './ves-event.js';
import { buildHeader } from './ves-header.js';
import type { VesBuildContext, VesSource } from './ves-header.js';

/**
 * A heartbeat event: `heartbeatFields` with the interval (whole seconds, at least 1)
 * after which the collector may consider the source gone.
 */
export function buildHeartbeatEvent(ctx: VesBuildContext, h: { readonly source: VesSource; readonly at: Date; readonly intervalSeconds: number }): VesEvent {
  return {
    commonEventHeader: buildHeader(ctx, { domain: 'heartbeat', eventName: 'Heartbeat_Rondo', priority: 'Normal', source: h.source, start: h.at, last: h.at }),
    heartbeatFields: { heartbeatFieldsVersion: '3.0', heartbeatInterval: Math.max(1, Math.round(h.intervalSeconds)) },
  };
}
