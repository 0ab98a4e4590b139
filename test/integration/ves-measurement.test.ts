import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/bus/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import { createMonitoringMetrics, VesAgent } from '../../src/monitoring/index.js';
import { createSecretBox } from '../../src/auth/index.js';
import type { MonitoringTopics, VesEvent } from '../../src/monitoring/index.js';
import { vesConfigRepository } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { startDockerVnf } from '../support/docker-vnf.js';
import type { DockerVnf } from '../support/docker-vnf.js';
import { openTestStore } from '../support/store.js';
import { VesCollector } from '../support/ves-collector.js';
import { vesSchemaValidator } from '../support/ves-schema.js';

const validate = vesSchemaValidator();
const POP = `ves-meas-${process.pid}`;

describe('VES measurement events from a real Docker VNF', () => {
  let store: Store;
  let vnf: DockerVnf;
  let collector: VesCollector;
  let agent: VesAgent;

  beforeAll(async () => {
    store = await openTestStore('postgres', 'ves-measurement');
    vnf = await startDockerVnf(POP, 'ns-v', 'vnf-v', 32);
    collector = new VesCollector();
    await collector.start();
    agent = new VesAgent({
      repo: vesConfigRepository(store.db),
      secrets: createSecretBox(Buffer.from('cd'.repeat(32), 'hex')),
      bus: createEventBus<MonitoringTopics>(),
      vims: (id) => (id === POP ? vnf.port : undefined),
      clock: systemClock,
      ids: uuidGenerator,
      reportingEntityName: 'rondo-it',
      metrics: createMonitoringMetrics(),
      delivery: { maxLingerMs: 5 },
    });
    await agent.start();
  });

  afterAll(async () => {
    await agent.stop();
    await collector.stop();
    await vnf.remove();
    await store.close();
  });

  it('sends valid measurements with cpu, memory and nic arrays on the poll interval', async () => {
    await agent.configure(POP, {
      vesagent_config: { ves_subscription: { endpoint: collector.url }, poll_interval_default: 1, backlogs: [{ domain: 'measurement', type: 'vm', source: 'vnf-v' }] },
    });
    const t0 = Date.now();
    await collector.waitFor(() => collector.find({ domain: 'measurement' }).length >= 3, 20_000);
    const ms = collector.find({ domain: 'measurement' });
    const spacing = ms.slice(1).map((m, i) => (m.receivedAt - ms[i]!.receivedAt).toFixed(0));
    console.log(`measurement spacing (ms) for a 1 s poll: ${spacing.join(', ')} (first after ${Date.now() - t0} ms total for 3)`);
    for (const m of ms) expect(validate({ event: m.event }), JSON.stringify(validate.errors)).toBe(true);
    const last = ms.at(-1)!.event as unknown as VesEvent & { measurementFields: Required<NonNullable<VesEvent['measurementFields']>> };
    expect(last.commonEventHeader).toMatchObject({ sourceId: 'vnf-v', eventName: 'Measurement_Rondo_VnfResources' });
    expect(last.measurementFields.measurementInterval).toBe(1);
    expect(last.measurementFields.memoryUsageArray[0]?.memoryConfigured).toBe(32 * 1024);
    expect(last.measurementFields.memoryUsageArray[0]?.memoryUsed).toBeGreaterThan(0);
    // The VNF busy-loops: a rate over the poll interval (one-shot stats against the previous sample) is above 0.
    expect(last.measurementFields.cpuUsageArray[0]?.percentUsage).toBeGreaterThan(0);
    expect(last.measurementFields.nicPerformanceArray[0]).toMatchObject({ nicIdentifier: 'eth0', valuesAreSuspect: 'false' });
    expect(last.measurementFields.nicPerformanceArray[0]?.receivedOctetsDelta).toBeGreaterThanOrEqual(0);
    const view = await agent.get(POP);
    expect(view?.vesagent_backlogs.backlogs[0]?.last_event).toMatchObject({ commonEventHeader: { domain: 'measurement' } });
  });
});
