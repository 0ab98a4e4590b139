import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import type { ComputeStats } from '../../src/monitoring/index.js';
import type { Clock } from '../../src/model/index.js';
import { counterIds, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { CallbackServer } from '../support/callback-server.js';
import { seedNsRecords } from '../support/ns-records-seed.js';
import { STORE_KINDS } from '../support/store.js';

/**
 * SOL005 v2.6.1 NS performance management (`/nspm/v1`) on both stores: a PM job on a
 * seeded NS instance collects the per-VNF samples published on the monitoring bus, its
 * report holds the mean/summed values per collection period once the reporting period has
 * ended by the injected clock, and a real callback receives the
 * PerformanceInformationAvailableNotification; a threshold with hysteresis notifies UP
 * and DOWN crossings once each. Records and notifications are checked against
 * test/fixtures/sol005-schemas/NsPm.schema.json.
 */

const SCHEMA_DIR = join(process.cwd(), 'test/fixtures/sol005-schemas');
const PUBLIC = 'https://mano.example.net/rondo';
const T0 = Date.parse('2025-03-01T00:00:00Z');
type Json = Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(STORE_KINDS)('SOL005 NS performance management (%s)', (kind) => {
  let t: TestApp;
  let ajv: Ajv;
  let now = T0;
  const clock: Clock = { now: () => new Date(now) };
  const callback = new CallbackServer();
  let nsId: string;
  let vnf: { id: string; memberId: string; computeId: string };

  beforeAll(async () => {
    ajv = new Ajv({ allErrors: true, strict: false });
    (((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv)(ajv);
    for (const f of (await readdir(SCHEMA_DIR)).filter((n) => n.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(await readFile(join(SCHEMA_DIR, f), 'utf8')) as object);
    await callback.start();
    t = await openTestApp(kind, `nspm-api-${kind}`, { publicUrl: PUBLIC }, { clock, ids: counterIds('pm-') });
    const seed = await seedNsRecords(t.store.db, { ns: 2, vnfsPerNs: 1 });
    nsId = seed.nsIds[1]!; // NS 1 is INSTANTIATED with one VNF
    const row = await t.store.db.selectFrom('vnf_instances').selectAll().where('ns_instance_id', '=', nsId).where('kind', '=', 'vnf').executeTakeFirstOrThrow();
    vnf = { id: row.id, memberId: row.member_id, computeId: (row.compute_ids as string[])[0]! };
    await t.composition.start({ monitoring: true, worker: false, reconciler: false });
  });
  afterAll(async () => {
    await t?.close();
    await callback.stop();
  });

  const inject = (opts: InjectOptions) => t.app.inject(opts);
  const pm = () => t.deps.services.monitoring!.pm;
  const expectValid = (ref: string, record: unknown): void => {
    const v = ajv.getSchema(ref);
    if (!v) throw new Error(`no schema ${ref}`);
    const ok = v(record);
    expect(ok ? [] : v.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), `${ref}: ${JSON.stringify(record).slice(0, 400)}`).toEqual([]);
  };
  /** Publishes one sample of the VNF's compute at T0 + `s` seconds, as the stats sampler does, and waits until PM has taken it. */
  const sample = async (s: number, v: { cpu: number; memMiB?: number; rx?: number }): Promise<void> => {
    const stats: ComputeStats = {
      computeId: vnf.computeId,
      at: new Date(T0 + s * 1000),
      cpuPercent: v.cpu,
      onlineCpus: 1,
      memoryBytes: (v.memMiB ?? 100) * 1024 * 1024,
      memoryLimitBytes: 1000 * 1024 * 1024,
      interfaces: [{ name: 'eth0', rxBytes: v.rx ?? 0, txBytes: 0, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 }],
    };
    t.deps.services.monitoring!.bus.publish('vnf.stats', { nsId, vnfId: vnf.memberId, popId: 'dc1', computeId: vnf.computeId, stats });
    await pm().settled();
  };
  const posts = (path: string, type: string) => callback.requests.filter((r) => r.method === 'POST' && r.path === path && r.body?.notificationType === type).map((r) => r.body as Json);
  const local = (href: string) => href.slice(PUBLIC.length);

  it('subscribes, reports a PM job\'s collection periods and notifies the callback', async () => {
    const s = await inject({ method: 'POST', url: '/nspm/v1/subscriptions', payload: { callbackUri: `${callback.url}/pm`, filter: { nsInstanceSubscriptionFilter: { nsInstanceIds: [nsId] }, notificationTypes: ['PerformanceInformationAvailableNotification', 'ThresholdCrossedNotification'] } } });
    expect(s.statusCode, s.body).toBe(201);
    expectValid('NsPm.schema.json#/definitions/PmSubscription', s.json());

    const c = await inject({
      method: 'POST',
      url: '/nspm/v1/pm_jobs',
      payload: { objectType: 'NS', objectInstanceIds: [nsId], criteria: { performanceMetric: ['VCpuUsageMeanVnf', 'VMemoryUsageMeanVnf', 'ByteIncomingVnfExtCp'], collectionPeriod: 10, reportingPeriod: 20 } },
    });
    expect(c.statusCode, c.body).toBe(201);
    const job = c.json() as Json;
    expect(c.headers.location).toBe(`${PUBLIC}/nspm/v1/pm_jobs/${job.id}`);
    expectValid('NsPm.schema.json#/definitions/PmJob', job);
    expect(job._links.objects).toEqual([{ href: `${PUBLIC}/nslcm/v1/ns_instances/${nsId}` }]);

    // Collection period 1 (0–10 s): CPU 20 and 40, memory 100 and 300 MiB of 1000, 2000 bytes in after the first sample.
    await sample(1, { cpu: 20, memMiB: 100, rx: 1000 });
    await sample(5, { cpu: 40, memMiB: 300, rx: 3000 });
    // Collection period 2 (10–20 s).
    await sample(12, { cpu: 60, memMiB: 500, rx: 4500 });
    expect((await inject({ method: 'GET', url: `/nspm/v1/pm_jobs/${job.id}` })).json().reports).toBeUndefined();
    now = T0 + 20_000; // the reporting period ends
    await pm().tick();

    await callback.waitFor(() => posts('/pm', 'PerformanceInformationAvailableNotification').length >= 1);
    const [n] = posts('/pm', 'PerformanceInformationAvailableNotification');
    expectValid('NsPm.schema.json#/definitions/PerformanceInformationAvailableNotification', n);
    expect(n).toMatchObject({ pmJobId: job.id, objectType: 'NS', objectInstanceId: nsId, subObjectInstanceIds: [vnf.id], _links: { pmJob: { href: `${PUBLIC}/nspm/v1/pm_jobs/${job.id}` } } });
    const r = await inject({ method: 'GET', url: local(n!._links.performanceReport.href as string) });
    expect(r.statusCode, r.body).toBe(200);
    const report = r.json() as Json;
    expectValid('NsPm.schema.json#/definitions/PerformanceReport', report);
    const at = (s: number) => new Date(T0 + s * 1000).toISOString();
    const values = (metric: string) => (report.entries as Json[]).find((e) => e.performanceMetric === metric);
    expect(values('VCpuUsageMeanVnf')).toEqual({ objectType: 'NS', objectInstanceId: nsId, subObjectInstanceId: vnf.id, performanceMetric: 'VCpuUsageMeanVnf', performanceValues: [{ timeStamp: at(10), value: 30 }, { timeStamp: at(20), value: 60 }] });
    expect(values('VMemoryUsageMeanVnf')?.performanceValues).toEqual([{ timeStamp: at(10), value: 20 }, { timeStamp: at(20), value: 50 }]);
    expect(values('ByteIncomingVnfExtCp')?.performanceValues).toEqual([{ timeStamp: at(10), value: 2000 }, { timeStamp: at(20), value: 1500 }]);

    const shown = (await inject({ method: 'GET', url: `/nspm/v1/pm_jobs/${job.id}` })).json() as Json;
    expectValid('NsPm.schema.json#/definitions/PmJob', shown);
    expect(shown.reports).toEqual([{ href: n!._links.performanceReport.href, readyTime: at(20), fileSize: expect.any(Number) }]);
    // SOL005 §7.4.2.3.2: `reports` is excluded from the list by default.
    const list = (await inject({ method: 'GET', url: '/nspm/v1/pm_jobs' })).json() as Json[];
    expect(list.map((j) => [j.id, 'reports' in j])).toEqual([[job.id, false]]);

    // PmJobModifications: the job's own callback also gets the next report's notification.
    const p = await inject({ method: 'PATCH', url: `/nspm/v1/pm_jobs/${job.id}`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { callbackUri: `${callback.url}/job` } });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json()).toEqual({ callbackUri: `${callback.url}/job` });
    await sample(25, { cpu: 10, rx: 4600 });
    now = T0 + 40_000;
    await pm().tick();
    await callback.waitFor(() => posts('/job', 'PerformanceInformationAvailableNotification').length >= 1 && posts('/pm', 'PerformanceInformationAvailableNotification').length >= 2);
    const second = (await inject({ method: 'GET', url: local(posts('/job', 'PerformanceInformationAvailableNotification')[0]!._links.performanceReport.href as string) })).json() as Json;
    expect(second.entries.find((e: Json) => e.performanceMetric === 'ByteIncomingVnfExtCp').performanceValues).toEqual([{ timeStamp: at(30), value: 100 }]);

    expect((await inject({ method: 'DELETE', url: `/nspm/v1/pm_jobs/${job.id}` })).statusCode).toBe(204);
    const gone = await inject({ method: 'GET', url: `/nspm/v1/pm_jobs/${job.id}` });
    expect([gone.statusCode, gone.json().code]).toEqual([404, 'NOT_FOUND']);
  });

  it('notifies a threshold crossing up and down once each, with hysteresis', async () => {
    const c = await inject({
      method: 'POST',
      url: '/nspm/v1/thresholds',
      payload: { objectType: 'NS', objectInstanceId: nsId, criteria: { performanceMetric: 'VCpuUsageMeanVnf', thresholdType: 'SIMPLE', simpleThresholdDetails: { thresholdValue: 50, hysteresis: 5 } } },
    });
    expect(c.statusCode, c.body).toBe(201);
    const th = c.json() as Json;
    expectValid('NsPm.schema.json#/definitions/Threshold', th);
    expect((await inject({ method: 'GET', url: `/nspm/v1/thresholds/${th.id}` })).json()).toEqual(th);
    // 40: below (nothing crossed yet); 53: inside the band; 56: UP; 50, 47: inside; 44: DOWN; 48: inside.
    for (const [i, cpu] of [40, 53, 56, 50, 47, 44, 48].entries()) await sample(100 + i, { cpu });
    await callback.waitFor(() => posts('/pm', 'ThresholdCrossedNotification').length >= 2);
    const crossed = posts('/pm', 'ThresholdCrossedNotification');
    for (const n of crossed) expectValid('NsPm.schema.json#/definitions/ThresholdCrossedNotification', n);
    expect(crossed.map((n) => [n.crossingDirection, n.performanceValue, n.thresholdId, n.subObjectInstanceId, n.performanceMetric])).toEqual([
      ['UP', 56, th.id, vnf.id, 'VCpuUsageMeanVnf'],
      ['DOWN', 44, th.id, vnf.id, 'VCpuUsageMeanVnf'],
    ]);
    expect((await inject({ method: 'GET', url: '/nspm/v1/thresholds' })).json()).toEqual([th]);
    expect((await inject({ method: 'DELETE', url: `/nspm/v1/thresholds/${th.id}` })).statusCode).toBe(204);
    expect((await inject({ method: 'GET', url: `/nspm/v1/thresholds/${th.id}` })).statusCode).toBe(404);
  });

  it('refuses bad requests naming the field', async () => {
    const job = (criteria: Json, extra: Json = {}) => inject({ method: 'POST', url: '/nspm/v1/pm_jobs', payload: { objectType: 'NS', objectInstanceIds: [nsId], criteria, ...extra } });
    const cases: [Awaited<ReturnType<typeof job>>, number, string, string][] = [
      [await job({ performanceMetric: ['CpuLoad'], collectionPeriod: 10, reportingPeriod: 20 }), 400, 'PM_JOB_INVALID', 'criteria.performanceMetric[0]'],
      [await job({ performanceMetricGroup: ['Nope'], collectionPeriod: 10, reportingPeriod: 20 }), 400, 'PM_JOB_INVALID', 'criteria.performanceMetricGroup[0]'],
      [await job({ performanceMetric: ['VCpuUsageMeanVnf'], collectionPeriod: 10, reportingPeriod: 25 }), 400, 'PM_JOB_INVALID', 'criteria.reportingPeriod'],
      [await job({ performanceMetric: ['VCpuUsageMeanVnf'], collectionPeriod: 10, reportingPeriod: 20 }, { objectType: 'Vnf' }), 400, 'PM_JOB_INVALID', 'objectType'],
      [await job({ performanceMetric: ['VCpuUsageMeanVnf'], collectionPeriod: 10, reportingPeriod: 20 }, { objectInstanceIds: ['no-such-ns'] }), 422, 'PM_OBJECT_NOT_FOUND', 'objectInstanceIds[0]'],
    ];
    for (const [res, status, code, field] of cases) {
      expect([res.statusCode, res.json().code, res.json().details?.field ?? res.json().field], res.body).toEqual([status, code, field]);
    }
    const th = await inject({ method: 'POST', url: '/nspm/v1/thresholds', payload: { objectType: 'NS', objectInstanceId: nsId, criteria: { performanceMetric: 'VCpuUsageMeanVnf', thresholdType: 'SIMPLE' } } });
    expect([th.statusCode, th.json().code]).toEqual([400, 'PM_THRESHOLD_INVALID']);
    expect((await inject({ method: 'GET', url: '/nspm/v1/pm_jobs/missing/reports/x' })).statusCode).toBe(404);
  });
});
