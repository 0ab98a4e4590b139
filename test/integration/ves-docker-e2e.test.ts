/**
 * The monitoring "done when" path end to end, on real parts only: a real Rondo server
 * (startServer, PGlite, the full composition with monitoring), the local Docker engine
 * registered as a PoP of its own, the tango-chain example package, and a VES collector
 * running as a separate process. The VES agent is configured through the multicloud API;
 * the test kills a VNF container behind Rondo's back, measures death → collector receipt
 * of the fault, restarts the container and waits for the clear, checks the measurement
 * events on the poll interval and the per-VNF series of /metrics, then terminates the NS
 * and checks that Docker holds nothing of it. Fails — never skips — without Docker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { loadConfig } from '../../src/config/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { startServer } from '../../src/app/index.js';
import type { RunningServer } from '../../src/app/index.js';
import { parsePrometheusText } from '../support/prom-text.js';
import { VesCollectorProcess } from '../support/ves-collector-process.js';
import type { CollectedVesEvent } from '../support/ves-collector-process.js';
import { vesSchemaValidator } from '../support/ves-schema.js';
import { waitFor } from '../support/worker-runtime.js';

const validate = vesSchemaValidator();
const AUTH = { username: 'ves-e2e', password: 'ves-e2e-collector-pw' };
/** A PoP id of this file only: another Rondo on the same engine (a parallel test) never sees or reconciles its containers. */
const POP = `vese2e${process.pid}`;
const POLL_SECONDS = 2;
/** Bound on waiting for a fault or clear at the collector: a hang guard, not a target (the latency is logged, never asserted). */
const FAULT_BOUND_MS = 15_000;

interface VnfView {
  readonly id: string;
  readonly vnfInstanceName: string;
  readonly memberId: string;
  readonly popId: string;
  readonly instantiatedVnfInfo: { readonly vnfcResourceInfo: readonly { readonly computeResource: { readonly resourceId: string } }[] };
}

/** What the test knows of one VNF of the NS. */
interface Vnf {
  readonly instanceId: string;
  readonly name: string;
  readonly memberId: string;
  readonly computeId: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const header = (e: CollectedVesEvent) => e.event.commonEventHeader as { domain: string; eventName: string; eventId: string; sourceName: string; sourceId: string; sequence: number };
const fault = (e: CollectedVesEvent) =>
  e.event.faultFields as { eventSeverity: string; vfStatus: string; alarmCondition: string; alarmAdditionalInformation: Record<string, string> } | undefined;
const measurement = (e: CollectedVesEvent) =>
  e.event.measurementFields as
    | { measurementInterval: number; additionalFields: Record<string, string>; cpuUsageArray: unknown[]; memoryUsageArray: unknown[]; nicPerformanceArray: unknown[] }
    | undefined;
const expectSchemaValid = (e: CollectedVesEvent) => expect(validate({ event: e.event }), JSON.stringify(validate.errors)).toBe(true);

describe('VES agent end to end on Docker, with a collector process (pglite)', () => {
  const docker = new Docker();
  const collector = new VesCollectorProcess(AUTH);
  let dir = '';
  let server: RunningServer | undefined;
  let url = '';
  let nsdId = '';
  let nsId = '';
  let vnfs: Vnf[] = [];

  async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; location: string | null }> {
    const r = await fetch(`${url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : null) as T, location: r.headers.get('location') };
  }

  /** Follows an operation occurrence until it rests; fails with the operation when it did not complete. */
  async function waitForOp(location: string | null, timeoutMs: number): Promise<void> {
    const opId = location?.split('/').pop() ?? '';
    expect(opId).not.toBe('');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const op = (await api<{ operationState: string }>('GET', `/nslcm/v1/ns_lcm_op_occs/${opId}`)).body;
      if (['COMPLETED', 'FAILED', 'FAILED_TEMP', 'ROLLED_BACK', 'PARTIALLY_COMPLETED'].includes(op.operationState)) {
        expect(op.operationState, JSON.stringify(op)).toBe('COMPLETED');
        return;
      }
      if (Date.now() > deadline) throw new Error(`operation ${opId} still ${op.operationState} after ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  const ofNs = (e: CollectedVesEvent, computeId?: string) => {
    const f = fault(e)?.alarmAdditionalInformation ?? measurement(e)?.additionalFields;
    const belongs = f?.nsInstanceId === nsId || vnfs.some((v) => v.computeId === f?.computeId);
    return belongs && (computeId === undefined || f?.computeId === computeId);
  };

  beforeAll(async () => {
    try {
      await docker.ping();
    } catch (e) {
      throw new Error(`Docker is required for this test and does not answer: ${(e as Error).message}`);
    }
    await collector.start();
    dir = await mkdtemp(join(tmpdir(), 'rondo-ves-e2e-'));
    // Authentication off (RONDO_INSECURE_NO_AUTH): this file tests monitoring, not sign-in.
    const config = loadConfig(
      { ...process.env, DATABASE_URL: '', RONDO_INSECURE_NO_AUTH: '1' },
      { dataDir: join(dir, 'data'), port: 0, host: '127.0.0.1', autoRegisterPops: false, logLevel: (process.env.RONDO_TEST_LOG as 'info' | undefined) ?? 'warn' },
    );
    server = await startServer(config, { notice: () => undefined });
    url = server.url;

    // The local Docker engine as a PoP of this test, then the example package.
    const pop = await api('POST', '/admin/v1/vims', { name: POP, type: 'docker', endpoint: config.dockerEndpoint, capacity: { cpu: 64, memoryMiB: 65_536 } });
    expect(pop.status, JSON.stringify(pop.body)).toBe(201);
    const file = join(dir, 'tango-chain.tgo');
    await buildPackage('examples/tango-chain', file);
    const up = await fetch(`${url}/admin/v1/packages`, {
      method: 'POST',
      body: await readFile(file),
      headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="tango-chain.tgo"' },
    });
    const pkg = (await up.json()) as { nsds: { id: string }[] };
    expect(up.status, JSON.stringify(pkg)).toBe(201);
    nsdId = pkg.nsds[0]!.id;
  });

  afterAll(async () => {
    await server?.close();
    await collector.stop();
    // Never leak containers or networks, even when an assertion failed half-way.
    if (nsId) {
      for (const c of await docker.listContainers({ all: true, filters: { label: [`rondo.ns=${nsId}`] } }).catch(() => [])) {
        await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      }
      for (const n of await docker.listNetworks({ filters: { label: [`rondo.ns=${nsId}`] } }).catch(() => [])) {
        await docker.getNetwork(n.Id).remove().catch(() => undefined);
      }
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // Posted right after the PoP was registered, before monitoring watches it (it re-reads the
  // PoP list every 10 s): the agent must pick the PoP up on a later poll.
  it('configures the VES agent through the multicloud API (201, password never shown)', async () => {
    const r = await api<{ vesagent_config: unknown; vesagent_backlogs: { backlogs: unknown[] } }>('POST', `/api/multicloud/v0/${POP}/vesagent`, {
      vesagent_config: {
        ves_subscription: { endpoint: collector.url, ...AUTH },
        poll_interval_default: 10,
        backlogs: [
          { domain: 'fault', type: 'vm', tenant: 'default', source: '*', poll_interval: POLL_SECONDS },
          { domain: 'measurement', type: 'vm', tenant: 'default', source: '*', poll_interval: POLL_SECONDS },
        ],
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(JSON.stringify(r.body)).not.toContain(AUTH.password);
    expect(r.body.vesagent_backlogs.backlogs).toHaveLength(2);
  });

  it('instantiates the NS on Docker; measurement events arrive for its VNFs on the poll interval', async () => {
    const created = await api<{ id: string }>('POST', '/nslcm/v1/ns_instances', { nsdId, nsName: 'ves-e2e' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    nsId = created.body.id;
    const inst = await api('POST', `/nslcm/v1/ns_instances/${nsId}/instantiate`, { nsFlavourId: 'default', additionalParamsForNs: { placement: 'first-pop' } });
    expect(inst.status, JSON.stringify(inst.body)).toBe(202);
    await waitForOp(inst.location, 240_000);
    // VNF records exist from here on: measurements made later name the VNF instance (one made
    // while the op ran may carry the member id instead, which is right then).
    const completedAtMicros = Date.now() * 1000;
    const ns = (await api<{ nsState: string; vnfInstance: VnfView[] }>('GET', `/nslcm/v1/ns_instances/${nsId}`)).body;
    expect(ns.nsState).toBe('INSTANTIATED');
    vnfs = ns.vnfInstance.map((v) => ({
      instanceId: v.id,
      name: v.vnfInstanceName,
      memberId: v.memberId,
      computeId: v.instantiatedVnfInfo.vnfcResourceInfo[0]!.computeResource.resourceId,
    }));
    expect(vnfs.map((v) => v.memberId).sort()).toEqual(['client', 'firewall', 'server']);
    expect(ns.vnfInstance.every((v) => v.popId === POP)).toBe(true);

    // Three measurements of every VNF made after the instantiation completed: two intervals each to look at.
    const of = (v: Vnf) =>
      collector.events.filter((e) => header(e).domain === 'measurement' && ofNs(e, v.computeId) && Number(e.event.commonEventHeader.lastEpochMicrosec) > completedAtMicros);
    await collector.waitFor(() => vnfs.every((v) => of(v).length >= 3), 60_000, 'three measurement events of each VNF');
    for (const v of vnfs) {
      const ms = of(v);
      const gaps = ms.slice(1).map((m, i) => m.receivedAt - ms[i]!.receivedAt);
      console.log(`VES measurement spacing for ${v.memberId} (poll ${POLL_SECONDS} s): ${gaps.map((g) => `${g} ms`).join(', ')}`);
      for (const m of ms) {
        expectSchemaValid(m);
        expect(header(m)).toMatchObject({ eventName: 'Measurement_Rondo_VnfResources', sourceId: v.instanceId });
        const f = measurement(m)!;
        expect(f.measurementInterval).toBe(POLL_SECONDS);
        expect(f.cpuUsageArray.length).toBeGreaterThan(0);
        expect(f.memoryUsageArray.length).toBeGreaterThan(0);
        expect(f.nicPerformanceArray.length).toBeGreaterThan(0);
      }
      expect(header(ms.at(-1)!).sourceName).toBe(v.name);
      // One event per poll, in order (the spacing is logged above, never asserted: it depends on load).
      const made = ms.map((m) => Number(m.event.commonEventHeader.lastEpochMicrosec));
      expect(made).toEqual([...made].sort((a, b) => a - b));
      expect(new Set(made).size).toBe(made.length);
    }
  });

  it('a killed VNF container reaches the collector as a schema-valid fault with its name; the restart sends the clear', async () => {
    const victim = vnfs.find((v) => v.memberId === 'firewall')!;
    const faultsOf = (severity?: string) =>
      collector.events.filter((e) => header(e).domain === 'fault' && ofNs(e, victim.computeId) && (severity === undefined || fault(e)?.eventSeverity === severity));
    expect(faultsOf()).toEqual([]);

    const killedAt = Date.now();
    await docker.getContainer(victim.computeId).kill();
    await collector.waitFor(() => faultsOf().some((e) => fault(e)?.eventSeverity !== 'NORMAL'), FAULT_BOUND_MS, `fault of ${victim.memberId}`);
    const raise = faultsOf().find((e) => fault(e)?.eventSeverity !== 'NORMAL')!;
    const latency = raise.receivedAt - killedAt;
    console.log(`VES fault latency: ${latency} ms (docker kill of ${victim.memberId} → collector process receipt, ${raise.batch ? 'batch' : 'single'} POST)`);
    expectSchemaValid(raise);
    expect(header(raise)).toMatchObject({ domain: 'fault', eventName: 'Fault_Rondo_VnfDown', sourceName: victim.name, sourceId: victim.instanceId });
    expect(fault(raise)).toMatchObject({ eventSeverity: 'CRITICAL', vfStatus: 'Idle', alarmCondition: 'vnfDown' });
    expect(fault(raise)!.alarmAdditionalInformation).toMatchObject({ nsInstanceId: nsId, computeId: victim.computeId, popId: POP });

    const restartedAt = Date.now();
    await docker.getContainer(victim.computeId).start();
    await collector.waitFor(() => faultsOf('NORMAL').length > 0, FAULT_BOUND_MS, `clear of ${victim.memberId}`);
    const clear = faultsOf('NORMAL')[0]!;
    console.log(`VES clear latency: ${clear.receivedAt - restartedAt} ms (docker start → collector process receipt)`);
    expectSchemaValid(clear);
    expect(header(clear)).toMatchObject({ eventName: 'Fault_Rondo_VnfDown', sourceName: victim.name, sourceId: victim.instanceId, eventId: header(raise).eventId });
    expect(header(clear).sequence).toBeGreaterThan(header(raise).sequence);
    expect(fault(clear)).toMatchObject({ eventSeverity: 'NORMAL', vfStatus: 'Active', alarmCondition: 'vnfDown' });
    // One raise and one clear: the fault poll and the Docker event stream do not double-report.
    // Witness that a whole fault poll ran after the clear: the fault backlog's last poll time
    // (written at the end of a poll, and once for the clear itself) took three values after
    // the clear was made; polls never overlap, so the last one began after another ended.
    // Its events then precede, in the runner's one delivery queue, any measurement made later.
    const clearMade = Number(clear.event.commonEventHeader.lastEpochMicrosec) / 1000;
    const polls = new Set<number>();
    await waitFor('three fault polls recorded after the clear', 30_000, async () => {
      const view = await api<{ vesagent_backlogs: { backlogs: { domain: string; last_poll_time: string | null }[] } }>('GET', `/admin/v1/vims/${POP}/vesagent`);
      const at = Date.parse(view.body.vesagent_backlogs.backlogs.find((b) => b.domain === 'fault')?.last_poll_time ?? '');
      if (at > clearMade) polls.add(at);
      return polls.size >= 3;
    });
    const lastPoll = Math.max(...polls) * 1000;
    await collector.waitFor(() => collector.events.some((e) => header(e).domain === 'measurement' && Number(e.event.commonEventHeader.lastEpochMicrosec) > lastPoll), 30_000, 'a measurement made after that fault poll');
    expect(faultsOf().map((e) => fault(e)?.eventSeverity)).toEqual(['CRITICAL', 'NORMAL']);
    expect(collector.refused).toEqual([]);
  });

  it('a fault backlog naming the VM by its name gets the fault at once, from the Docker event (not the next poll)', async () => {
    const victim = vnfs.find((v) => v.memberId === 'client')!;
    const vmName = (await docker.getContainer(victim.computeId).inspect()).Name.replace(/^\//, '');
    // Only this VM's faults, polled every 60 s: a fault within the bound can only come from the event.
    const r = await api('POST', `/api/multicloud/v0/${POP}/vesagent`, {
      vesagent_config: {
        ves_subscription: { endpoint: collector.url, ...AUTH },
        poll_interval_default: 60,
        backlogs: [
          { domain: 'fault', type: 'vm', tenant: 'default', source: vmName, poll_interval: 60 },
          { domain: 'measurement', type: 'vm', tenant: 'default', source: '*', poll_interval: POLL_SECONDS },
        ],
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    // The reconfigured agent's first fault poll (due at once) has run: its time is recorded.
    await waitFor('the named fault backlog polled once', 30_000, async () => {
      const view = await api<{ vesagent_backlogs: { backlogs: { domain: string; last_poll_time: string | null }[] } }>('GET', `/admin/v1/vims/${POP}/vesagent`);
      return Boolean(view.body.vesagent_backlogs.backlogs.find((b) => b.domain === 'fault')?.last_poll_time);
    });
    const faultsOf = (severity?: string) =>
      collector.events.filter((e) => header(e).domain === 'fault' && ofNs(e, victim.computeId) && (severity === undefined || fault(e)?.eventSeverity === severity));
    expect(faultsOf()).toEqual([]);

    const killedAt = Date.now();
    await docker.getContainer(victim.computeId).kill();
    await collector.waitFor(() => faultsOf().some((e) => fault(e)?.eventSeverity !== 'NORMAL'), FAULT_BOUND_MS, `fault of ${vmName}`);
    const raise = faultsOf().find((e) => fault(e)?.eventSeverity !== 'NORMAL')!;
    console.log(`VES fault latency, backlog source = VM name ${vmName}: ${raise.receivedAt - killedAt} ms (docker kill → collector process receipt; fault poll every 60 s)`);
    expectSchemaValid(raise);
    expect(header(raise)).toMatchObject({ domain: 'fault', eventName: 'Fault_Rondo_VnfDown', sourceName: victim.name, sourceId: victim.instanceId });
    expect(fault(raise)!.alarmAdditionalInformation).toMatchObject({ nsInstanceId: nsId, computeId: victim.computeId, popId: POP });

    // Running again: the clear comes from the start event too; the next tests see every VNF up.
    await docker.getContainer(victim.computeId).start();
    await collector.waitFor(() => faultsOf('NORMAL').length > 0, FAULT_BOUND_MS, `clear of ${vmName}`);
    expect(faultsOf().map((e) => fault(e)?.eventSeverity)).toEqual(['CRITICAL', 'NORMAL']);
  });

  it('/metrics parses as Prometheus text and has the series of the NS VNFs with ns/vnf/pop labels', async () => {
    const r = await fetch(`${url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    const { types, samples } = parsePrometheusText(await r.text());
    expect(types.get('rondo_vnf_cpu_percent')).toBe('gauge');
    for (const v of vnfs) {
      const labels = { ns: nsId, vnf: v.memberId, pop: POP };
      const one = (name: string, extra: Record<string, string> = {}) =>
        samples.filter((s) => s.name === name && Object.entries({ ...labels, ...extra }).every(([k, x]) => s.labels[k] === x));
      expect(one('rondo_vnf_cpu_percent'), `cpu of ${v.memberId}`).toHaveLength(1);
      expect(one('rondo_vnf_memory_bytes')[0]?.value, `memory of ${v.memberId}`).toBeGreaterThan(0);
      expect(one('rondo_vnf_network_receive_bytes').length, `network of ${v.memberId}`).toBeGreaterThan(0);
    }
    const sent = samples.find((s) => s.name === 'rondo_ves_events_sent_total' && s.labels.vim === POP);
    expect(sent?.value).toBeGreaterThan(0);
    expect(samples.find((s) => s.name === 'rondo_ves_events_dropped_total' && s.labels.vim === POP)?.value ?? 0).toBe(0);
  });

  it('terminates the NS and leaves no container or network labelled with it', async () => {
    const t = await api('POST', `/nslcm/v1/ns_instances/${nsId}/terminate`, {});
    expect(t.status, JSON.stringify(t.body)).toBe(202);
    await waitForOp(t.location, 180_000);
    expect(await docker.listContainers({ all: true, filters: { label: [`rondo.ns=${nsId}`] } })).toEqual([]);
    expect(await docker.listNetworks({ filters: { label: [`rondo.ns=${nsId}`] } })).toEqual([]);
    const d = await api('DELETE', `/api/multicloud/v0/${POP}/vesagent`);
    expect(d.status).toBe(200);
  });
});
