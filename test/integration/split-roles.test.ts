/**
 * Split roles on PostgreSQL and RabbitMQ, with real separate processes: one
 * `rondo serve --role api` (bin/rondo, the built Rondo: `npm run build` first) and worker
 * processes, `rondo serve --role worker` and the crash-test worker (test/support/worker-main.ts,
 * the same composition with crash points). Operations run in the workers on a memory PoP
 * (no Docker); the API process must still stream their lifecycle events on `/api/events`,
 * send each SOL005 notification to a subscribed callback exactly once, and count them in
 * `/metrics`, also when the worker running an operation is killed: right after it
 * committed a state change (its event is still in the outbox), or in the middle of the
 * operation (another worker resumes it).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUS_GROUPS } from '../../src/app/index.js';
import { amqpNames } from '../../src/bus/index.js';
import type { Store } from '../../src/store/index.js';
import { buildExamplePackages } from '../support/app.js';
import { deleteAmqpPrefix, TEST_AMQP_URL } from '../support/amqp.js';
import { CallbackServer } from '../support/callback-server.js';
import { BUILT_CLI, startCliServer } from '../support/cli-server.js';
import type { CliServer } from '../support/cli-server.js';
import { parsePrometheusText } from '../support/prom-text.js';
import { openTestStore, TEST_DATABASE_URL, testSchemaOf } from '../support/store.js';
import { startWorkerProcess, WORKER_TEST_KEY } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

const KEY = 'split-roles.test.ts';
type Json = Record<string, unknown>;

interface Frame {
  readonly event: string;
  readonly data: Json;
}

/** Reads `GET /api/events` into `frames` until `close()`. */
async function openEventStream(url: string): Promise<{ frames: Frame[]; close(): void }> {
  const ac = new AbortController();
  const res = await fetch(`${url}/api/events`, { signal: ac.signal });
  expect(res.status).toBe(200);
  const frames: Frame[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) frames.push({ event, data: JSON.parse(data) as Json });
      }
    }
  })().catch(() => undefined);
  return { frames, close: () => ac.abort() };
}

/** Polls `check` until it returns a value; throws naming `what` after `ms`. */
async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('split roles: API and worker processes on PostgreSQL and RabbitMQ', () => {
  const prefix = `rondo-split-${randomUUID().slice(0, 8)}`;
  const schema = testSchemaOf(KEY);
  const callback = new CallbackServer();
  const servers: CliServer[] = [];
  const workers: WorkerProcess[] = [];
  let store: Store;
  let dir: string;
  let api: CliServer;
  let env: NodeJS.ProcessEnv;

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Json; headers: Headers }> => {
    const r = await fetch(`${api.url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    const text = await r.text();
    return { status: r.status, json: text && r.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Json) : {}, headers: r.headers };
  };
  const serve = async (role: 'api' | 'worker', name: string): Promise<CliServer> => {
    const s = await startCliServer(BUILT_CLI, { env: { ...env, RONDO_ROLE: role }, dataDir: join(dir, name) });
    servers.push(s);
    return s;
  };
  /** The crash-test worker: SIGKILLs itself at the planned point of the first operation it runs. */
  const crashingWorker = async (owner: string, plan: string): Promise<WorkerProcess> => {
    const w = await startWorkerProcess({
      databaseUrl: TEST_DATABASE_URL, schema, owner, leaseSeconds: 3, crashPoints: plan, descriptors: 'catalog',
      env: { RONDO_AMQP_URL: TEST_AMQP_URL, RONDO_AMQP_PREFIX: prefix },
    });
    workers.push(w);
    return w;
  };
  const settle = (opId: string) =>
    until(`operation ${opId} to settle`, async () => {
      const op = (await call('GET', `/nslcm/v1/ns_lcm_op_occs/${opId}`)).json;
      return ['COMPLETED', 'FAILED', 'ROLLED_BACK', 'FAILED_TEMP'].includes(String(op.operationState)) ? op : undefined;
    }, 120_000);
  /** The LCM notifications the callback got for `opId`, as `STATUS:state`. */
  const lcmNotes = (opId: string) => callback.notifications.filter((n) => n.nsLcmOpOccId === opId).map((n) => `${String(n.notificationStatus)}:${String(n.operationState)}`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-split-roles-'));
    // The schema, migrated (and dropped again by close()).
    store = await openTestStore('postgres', KEY);
    await callback.start();
    env = {
      ...process.env,
      DATABASE_URL: TEST_DATABASE_URL, RONDO_DB_SCHEMA: schema, RONDO_AMQP_URL: TEST_AMQP_URL, RONDO_AMQP_PREFIX: prefix,
      RONDO_SECRET_KEY: WORKER_TEST_KEY, RONDO_INSECURE_NO_AUTH: '1', RONDO_AUTO_POPS: '0', RONDO_WORKER_LEASE: '3', RONDO_LOG_LEVEL: 'info',
      RONDO_URL: '', RONDO_TOKEN: '', RONDO_API_KEY: '',
    };
    api = await serve('api', 'api');
    const files = await buildExamplePackages(dir);
    const pkg = await fetch(`${api.url}/packages`, { method: 'POST', body: await readFile(files.tango), headers: { 'content-type': 'application/octet-stream' } });
    expect(pkg.status, await pkg.text()).toBe(201);
    expect((await call('POST', '/admin/v1/vims', { name: 'mem1', type: 'memory', endpoint: 'memory://split' })).status).toBe(201);
    expect((await call('POST', '/nslcm/v1/subscriptions', { callbackUri: `${callback.url}/lcm` })).status).toBe(201);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.crash()));
    for (const s of servers.reverse()) await s.stop();
    await callback.stop();
    await store?.close();
    await deleteAmqpPrefix(prefix, Object.values(BUS_GROUPS).map((g) => amqpNames(prefix).groupQueue(g))).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('the API process streams, notifies once and counts the operations that workers ran, also when the worker running one is killed', async () => {
    const ready = await call('GET', '/readyz');
    expect(ready.json).toMatchObject({ status: 'ready', store: 'postgres', bus: { kind: 'amqp', connected: true, target: 'amqp://127.0.0.1:5672' } });
    const stream = await openEventStream(api.url);
    const nsdInfoId = String(((await call('GET', '/nsd/v1/ns_descriptors')).json as unknown as Json[])[0]?.id);
    const created = await call('POST', '/nslcm/v1/ns_instances', { nsdId: nsdInfoId, nsName: 'split', nsDescription: 'split roles' });
    expect(created.status).toBe(201);
    const nsId = String(created.json.id);

    // 1. A worker that dies right after it committed COMPLETED: the event waits in the
    // outbox, and another process's relay (here the API's) sends it.
    const w1 = await crashingWorker('split-w1', 'after-commit:1');
    const inst = await call('POST', `/nslcm/v1/ns_instances/${nsId}/instantiate`, { nsFlavourId: 'default' });
    expect(inst.status).toBe(202);
    const instOp = String(inst.headers.get('location')).split('/').pop() ?? '';
    expect(await w1.exited).toBe('SIGKILL');
    expect(w1.output()).toContain('"crash":"after-commit"');
    expect((await settle(instOp)).operationState).toBe('COMPLETED');
    await callback.waitFor(() => lcmNotes(instOp).includes('RESULT:COMPLETED'), 30_000);

    // 2. A worker that dies in the middle of the termination: a worker started afterwards
    // resumes it once the lease expires.
    const w2 = await crashingWorker('split-w2', 'after-step-done:1');
    const term = await call('POST', `/nslcm/v1/ns_instances/${nsId}/terminate`, {});
    expect(term.status).toBe(202);
    const termOp = String(term.headers.get('location')).split('/').pop() ?? '';
    expect(await w2.exited).toBe('SIGKILL');
    expect(w2.output()).toContain('"crash":"after-step-done"');
    // 3. Two `rondo serve --role worker` processes from now on.
    await serve('worker', 'worker-a');
    await serve('worker', 'worker-b');
    expect((await settle(termOp)).operationState).toBe('COMPLETED');
    await callback.waitFor(() => lcmNotes(termOp).includes('RESULT:COMPLETED'), 30_000);

    const again = await call('POST', `/nslcm/v1/ns_instances/${nsId}/instantiate`, { nsFlavourId: 'default' });
    expect(again.status).toBe(202);
    const againOp = String(again.headers.get('location')).split('/').pop() ?? '';
    expect((await settle(againOp)).operationState).toBe('COMPLETED');
    await callback.waitFor(() => lcmNotes(againOp).includes('RESULT:COMPLETED'), 30_000);

    // Every SSE event of the three operations reached the API process, in order per operation.
    const opStates = (opId: string) => stream.frames.filter((f) => f.event === 'op.changed' && (f.data.payload as Json).opId === opId).map((f) => (f.data.payload as Json).operationState);
    await until('the last COMPLETED on the stream', () => opStates(againOp).includes('COMPLETED'), 30_000);
    // Enough for a duplicate (a second relay or a second API member) to show, were there one.
    await new Promise((r) => setTimeout(r, 2000));
    for (const op of [instOp, termOp, againOp]) expect(opStates(op), op).toEqual(['PROCESSING', 'COMPLETED']);
    const nsStates = stream.frames.filter((f) => f.event === 'ns.changed').map((f) => (f.data.payload as Json).state);
    expect(nsStates).toEqual(['INSTANTIATED', 'NOT_INSTANTIATED', 'INSTANTIATED']);

    // Each SOL005 notification exactly once, START before RESULT.
    for (const op of [instOp, termOp, againOp]) expect(lcmNotes(op), op).toEqual(['START:PROCESSING', 'RESULT:COMPLETED']);
    expect(callback.notifications.filter((n) => n.notificationType === 'NsIdentifierCreationNotification' && n.nsInstanceId === nsId)).toHaveLength(1);
    expect(new Set(callback.notifications.map((n) => n.id)).size).toBe(callback.notifications.length);

    // The API process counted the operations the workers ran, once each.
    // From the operations' events, relayed through the outbox: waited for (bounded), then exact.
    const counted = async (): Promise<number[]> => {
      const samples = parsePrometheusText(await (await fetch(`${api.url}/metrics`)).text()).samples.filter((s) => s.name === 'rondo_lcm_operations_total');
      const count = (operation: string, state: string) => samples.find((s) => s.labels.operation === operation && s.labels.state === state)?.value ?? 0;
      return [count('INSTANTIATE', 'COMPLETED'), count('TERMINATE', 'COMPLETED')];
    };
    await expect.poll(counted, { timeout: 15_000 }).toEqual([2, 1]);
    stream.close();
  });
});
