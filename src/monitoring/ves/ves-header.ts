import type { IdGenerator } from '../../model/index.js';
import { VES_HEADER_VERSION, VES_LISTENER_VERSION } from './ves-event.js';
import type { VesCommonEventHeader, VesDomain, VesPriority } from './ves-event.js';

/** The entity an event is about: a VNF instance (its id and name) or a VIM. */
export interface VesSource {
  readonly sourceId: string;
  readonly sourceName: string;
}

/** Numbers events per source: 1, 2, 3... (VES `sequence`: ordering per event source). */
export interface SequenceCounter {
  next(sourceId: string): number;
}

/** An in-memory {@link SequenceCounter}; restarts at 1 with the process. */
export function createSequenceCounter(): SequenceCounter {
  const last = new Map<string, number>();
  return {
    next(sourceId) {
      const n = (last.get(sourceId) ?? 0) + 1;
      last.set(sourceId, n);
      return n;
    },
  };
}

/** What every builder needs: who reports, event ids, per-source sequences. */
export interface VesBuildContext {
  /** This Rondo instance's name (`reportingEntityName`). */
  readonly reportingEntityName: string;
  readonly ids: IdGenerator;
  readonly sequences: SequenceCounter;
}

/** Microseconds since the epoch, as VES wants them. */
export const epochMicros = (d: Date): number => d.getTime() * 1000;

/** Builds a `commonEventHeader`; `eventId` defaults to a fresh id. */
export function buildHeader(
  ctx: VesBuildContext,
  h: {
    readonly domain: VesDomain;
    readonly eventName: string;
    readonly priority: VesPriority;
    readonly source: VesSource;
    readonly start: Date;
    readonly last: Date;
    readonly eventId?: string;
    readonly eventType?: string;
  },
): VesCommonEventHeader {
  return {
    domain: h.domain,
    eventId: h.eventId ?? `${h.domain}-${ctx.ids.next()}`,
    eventName: h.eventName,
    ...(h.eventType ? { eventType: h.eventType } : {}),
    lastEpochMicrosec: epochMicros(h.last),
    priority: h.priority,
    reportingEntityName: ctx.reportingEntityName,
    sequence: ctx.sequences.next(h.source.sourceId),
    sourceId: h.source.sourceId,
    sourceName: h.source.sourceName,
    startEpochMicrosec: epochMicros(h.start),
    nfVendorName: 'Rondo',
    timeZoneOffset: 'UTC+00.00',
    version: VES_HEADER_VERSION,
    vesEventListenerVersion: VES_LISTENER_VERSION,
  };
}
