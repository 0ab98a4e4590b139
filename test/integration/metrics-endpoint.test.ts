import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLatencyHook, metricsRoutes } from '../../src/api/system/metrics-routes.js';
import { createMonitoringMetrics, StatsSampler } from '../../src/monitoring/index.js';
import type { MonitoringMetrics } from '../../src/monitoring/index.js';
import { startDockerVnf } from '../support/docker-vnf.js';
import type { DockerVnf } from '../support/docker-vnf.js';
import { monitoringTestApp } from '../support/monitoring-app.js';
import { parsePrometheusText } from '../support/prom-text.js';

const POP = `metrics-it-${process.pid}`;

describe('/metrics with a real Docker VNF', () => {
  let vnf: DockerVnf;
  let metrics: MonitoringMetrics;
  let app: Awaited<ReturnType<typeof monitoringTestApp>>;

  beforeAll(async () => {
    vnf = await startDockerVnf(POP, 'ns-m', 'vnf-m', 64);
    metrics = createMonitoringMetrics({ processMetrics: true });
    app = await monitoringTestApp(async (a) => {
      await a.register(apiLatencyHook, { metrics });
      await a.register(metricsRoutes, { metrics });
      a.get('/nsfm/v1/alarms/:alarmId', async () => ({ ok: true }));
    });
  });

  afterAll(async () => {
    await app.close();
    await vnf.remove();
  });

  it('exposes per-VNF series, API latency, operations and VES counters in a valid text format', async () => {
    const sampler = new StatsSampler({ vims: () => [vnf.port], metrics });
    await sampler.sampleOnce();
    metrics.recordOperation('INSTANTIATE', 'PROCESSING');
    metrics.recordOperation('INSTANTIATE', 'COMPLETED', 3.2);
    metrics.vesObserver('dc1').sent(5);
    metrics.vesObserver('dc1').dropped(2);
    const untrack = metrics.trackVesQueue('dc1', () => 7);
    for (const id of ['a', 'b']) await app.inject({ method: 'GET', url: `/nsfm/v1/alarms/${id}` });

    const r = await app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain');
    const { types, samples } = parsePrometheusText(r.body);
    const one = (name: string, labels: Record<string, string> = {}) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    const vnfLabels = { ns: 'ns-m', vnf: 'vnf-m', pop: POP };

    expect(types.get('rondo_vnf_cpu_percent')).toBe('gauge');
    expect(one('rondo_vnf_cpu_percent', vnfLabels)).toHaveLength(1);
    expect(one('rondo_vnf_memory_bytes', vnfLabels)[0]?.value).toBeGreaterThan(0);
    expect(one('rondo_vnf_memory_limit_bytes', vnfLabels)[0]?.value).toBe(64 * 1024 * 1024);
    expect(one('rondo_vnf_network_receive_bytes', { ...vnfLabels, interface: 'eth0' })).toHaveLength(1);
    console.log('docker VNF sample:', one('rondo_vnf_cpu_percent', vnfLabels)[0]?.value.toFixed(2), '% cpu,', one('rondo_vnf_memory_bytes', vnfLabels)[0]?.value, 'bytes');

    expect(types.get('rondo_api_request_duration_seconds')).toBe('histogram');
    expect(one('rondo_api_request_duration_seconds_count', { method: 'GET', route: '/nsfm/v1/alarms/:alarmId', status_code: '200' })[0]?.value).toBe(2);
    expect(one('rondo_api_request_duration_seconds_count', { route: '/metrics' })).toHaveLength(0);
    expect(one('rondo_lcm_operations_total', { operation: 'INSTANTIATE', state: 'COMPLETED' })[0]?.value).toBe(1);
    expect(one('rondo_lcm_operation_duration_seconds_count', { operation: 'INSTANTIATE', state: 'COMPLETED' })[0]?.value).toBe(1);
    expect(one('rondo_ves_events_sent_total', { vim: 'dc1' })[0]?.value).toBe(5);
    expect(one('rondo_ves_events_dropped_total', { vim: 'dc1' })[0]?.value).toBe(2);
    expect(one('rondo_ves_queue_depth', { vim: 'dc1' })[0]?.value).toBe(7);
    expect(one('rondo_process_cpu_seconds_total').length).toBe(1);
    untrack();
  });

  it('drops the series of a VNF that went away', async () => {
    const sampler = new StatsSampler({ vims: () => [vnf.port], metrics });
    await sampler.sampleOnce();
    await vnf.remove();
    await sampler.sampleOnce();
    const { samples } = parsePrometheusText(await metrics.render());
    expect(samples.filter((s) => s.labels.vnf === 'vnf-m')).toHaveLength(0);
  });
});
