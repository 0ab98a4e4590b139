import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComputeStats } from '../watch/stats-source.js';
import { buildFaultClearEvent, buildFaultEvent, VNF_FAULT_KINDS } from './ves-fault.js';
import { buildHeartbeatEvent } from './ves-heartbeat.js';
import { buildMeasurementEvent } from './ves-measurement.js';
import { createSequenceCounter } from './ves-header.js';
import type { VesBuildContext } from './ves-header.js';
import type { VesEvent } from './ves-event.js';

// The published VES 7.2.1 Common Event Format schema (draft-04). Ajv 8 speaks draft-07;
// the keywords this schema uses mean the same in both, so only `$schema` is dropped.
const schemaPath = new URL('../../../test/fixtures/ves/CommonEventFormat_30.2.1_ONAP.json', import.meta.url);
const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(schema);

function expectValid(body: unknown): void {
  const ok = validate(body);
  expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
}

const ctx = (): VesBuildContext => {
  let n = 0;
  return { reportingEntityName: 'rondo-test', ids: { next: () => `id${++n}` }, sequences: createSequenceCounter() };
};

const source = { sourceId: 'vnf-1', sourceName: 'firewall' };
const at = new Date('2024-05-01T10:00:00.123Z');

const stats = (over: Partial<ComputeStats> = {}): ComputeStats => ({
  computeId: 'cmp-1',
  at,
  cpuPercent: 12.3456,
  onlineCpus: 2,
  memoryBytes: 50 * 1024 * 1024,
  memoryLimitBytes: 256 * 1024 * 1024,
  interfaces: [{ name: 'eth0', rxBytes: 1000, txBytes: 2000, rxPackets: 10, txPackets: 20, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 }],
  ...over,
});

describe('VES builders against CommonEventFormat 30.2.1', () => {
  it('fault raise and clear for every kind are valid, single and batched', () => {
    const c = ctx();
    const events: VesEvent[] = [];
    for (const kind of VNF_FAULT_KINDS) {
      const f = { kind, source, nsId: 'ns-1', vnfId: 'fw', computeId: 'cmp-1', popId: 'dc1', raisedAt: at, at, exitCode: 137 };
      const raise = buildFaultEvent(c, f);
      const clear = buildFaultClearEvent(c, { ...f, at: new Date(at.getTime() + 5000) }, raise.commonEventHeader.eventId);
      expectValid({ event: raise });
      expectValid({ event: clear });
      expect(clear.commonEventHeader.eventId).toBe(raise.commonEventHeader.eventId);
      expect(clear.faultFields?.eventSeverity).toBe('NORMAL');
      expect(raise.faultFields?.alarmCondition).toBe(clear.faultFields?.alarmCondition);
      events.push(raise, clear);
    }
    expectValid({ eventList: events });
    const down = events[0]!;
    expect(down.commonEventHeader).toMatchObject({
      domain: 'fault',
      eventName: 'Fault_Rondo_VnfDown',
      sourceName: 'firewall',
      sourceId: 'vnf-1',
      reportingEntityName: 'rondo-test',
      version: '4.1',
      vesEventListenerVersion: '7.2.1',
      startEpochMicrosec: at.getTime() * 1000,
    });
    expect(down.faultFields).toMatchObject({ eventSeverity: 'CRITICAL', vfStatus: 'Idle', eventSourceType: 'virtualNetworkFunction' });
  });

  it('numbers events per source', () => {
    const c = ctx();
    const f = { kind: 'down' as const, source, nsId: 'n', vnfId: 'v', computeId: 'c', popId: 'p', raisedAt: at, at };
    expect(buildFaultEvent(c, f).commonEventHeader.sequence).toBe(1);
    expect(buildFaultEvent(c, f).commonEventHeader.sequence).toBe(2);
    expect(buildFaultEvent(c, { ...f, source: { sourceId: 'other', sourceName: 'o' } }).commonEventHeader.sequence).toBe(1);
  });

  it('measurement is valid, with deltas against the previous sample and without a limit', () => {
    const c = ctx();
    const prev = stats({ at: new Date(at.getTime() - 10_000) });
    const next = stats({
      interfaces: [{ name: 'eth0', rxBytes: 1500, txBytes: 2600, rxPackets: 15, txPackets: 26, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 }],
    });
    const e = buildMeasurementEvent(c, { source, intervalSeconds: 10, stats: next, previous: prev });
    expectValid({ event: e });
    expect(e.measurementFields?.nicPerformanceArray?.[0]).toMatchObject({ receivedOctetsDelta: 500, transmittedOctetsDelta: 600 });
    expect(e.measurementFields?.cpuUsageArray?.[0]?.percentUsage).toBe(12.35);
    expect(e.measurementFields?.memoryUsageArray?.[0]).toMatchObject({ memoryUsed: 51200, memoryConfigured: 262144 });
    expectValid({ event: buildMeasurementEvent(c, { source, intervalSeconds: 10, stats: stats({ memoryLimitBytes: null, interfaces: [] }) }) });
  });

  it('heartbeat is valid with an integer interval', () => {
    const e = buildHeartbeatEvent(ctx(), { source: { sourceId: 'vim-1', sourceName: 'vim-1' }, at, intervalSeconds: 2.4 });
    expectValid({ event: e });
    expect(e.heartbeatFields?.heartbeatInterval).toBe(2);
  });

  it('any stats sample yields a valid measurement (property)', () => {
    const iface = fc.record({
      name: fc.stringMatching(/^[a-z]{1,4}[0-9]$/),
      rxBytes: fc.nat(), txBytes: fc.nat(), rxPackets: fc.nat(), txPackets: fc.nat(),
      rxErrors: fc.nat(), txErrors: fc.nat(), rxDropped: fc.nat(), txDropped: fc.nat(),
    });
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 6400, noNaN: true }),
        fc.nat(),
        fc.option(fc.nat(), { nil: null }),
        fc.array(iface, { maxLength: 4 }),
        fc.integer({ min: 1, max: 3600 }),
        (cpu, mem, limit, interfaces, interval) => {
          const e = buildMeasurementEvent(ctx(), { source, intervalSeconds: interval, stats: stats({ cpuPercent: cpu, memoryBytes: mem, memoryLimitBytes: limit, interfaces }) });
          return validate({ event: e }) === true;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the schema rejects what a collector would reject', () => {
    const e = buildHeartbeatEvent(ctx(), { source, at, intervalSeconds: 5 });
    expect(validate({ event: { ...e, commonEventHeader: { ...e.commonEventHeader, vesEventListenerVersion: '5.4' } } })).toBe(false);
  });
});
