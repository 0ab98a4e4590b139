import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RondoApp } from '../../src/api/app.js';
import { createOutboundGuard, createSecretBox } from '../../src/auth/index.js';
import type { OutboundGuard } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { buildHeartbeatEvent, createSequenceCounter, VesAgent, VesDelivery } from '../../src/monitoring/index.js';
import type { VesEvent } from '../../src/monitoring/index.js';
import { createEventBus } from '../../src/bus/index.js';
import type { MonitoringTopics } from '../../src/monitoring/index.js';
import { createSubscriptionService, NotificationService } from '../../src/notify/index.js';
import { compose } from '../../src/app/index.js';
import { subscriptionRepository, vesConfigRepository } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { counterIds, INSECURE_TEST_ENV, steppingClock } from '../support/app.js';
import { CallbackServer } from '../support/callback-server.js';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import type { StoreKind } from '../support/store.js';
import { VesCollector } from '../support/ves-collector.js';

/** The real app (compose: the composition root) with RONDO_OUTBOUND_ALLOW set. */
async function openAppWithAllow(kind: StoreKind, key: string, allow: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-outbound-'));
  const config = loadConfig({ ...INSECURE_TEST_ENV, RONDO_OUTBOUND_ALLOW: allow }, { dataDir, logLevel: 'silent' });
  const store = await openTestStore(kind, key);
  const c = await compose({ config, store, clock: steppingClock(), ids: counterIds(), env: {} });
  const services = c.services;
  const app: RondoApp = c.app as RondoApp;
  return {
    app,
    store,
    services,
    async close() {
      await c.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const count = async (store: Store, table: 'subscriptions' | 'ves_agent_configs') =>
  Number((await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db)).rows[0]?.n ?? 0);

const vesBody = (endpoint: string) => ({
  vesagent_config: {
    ves_subscription: { endpoint, username: 'ves', password: 'ves-pw' },
    poll_interval_default: 1,
    backlogs: [{ domain: 'heartbeat', type: 'vim', source: 'dc1', poll_interval: 1 }],
  },
});

describe.each(STORE_KINDS)('RONDO_OUTBOUND_ALLOW through the real app (%s)', (kind) => {
  let cb: CallbackServer;
  let collector: VesCollector;
  beforeAll(async () => {
    cb = new CallbackServer();
    collector = new VesCollector({ username: 'ves', password: 'ves-pw' });
    await cb.start();
    await collector.start();
  });
  afterAll(async () => {
    await cb.stop();
    await collector.stop();
  });

  it('an allow-list without 127.0.0.1 refuses a local callback and a local collector with 400 OUTBOUND_NOT_ALLOWED, storing nothing', async () => {
    const t = await openAppWithAllow(kind, `outbound-deny-${kind}`, '10.0.0.0/8, collector.example.net');
    try {
      for (const url of ['/nslcm/v1/subscriptions', '/nsfm/v1/subscriptions']) {
        const r = await t.app.inject({ method: 'POST', url, payload: { callbackUri: `${cb.url}/cb` } });
        expect(r.statusCode, url).toBe(400);
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect(r.json()).toMatchObject({ status: 400, code: 'OUTBOUND_NOT_ALLOWED', field: 'callbackUri', host: '127.0.0.1' });
      }
      // A name passes the URL check (it may resolve into 10/8) but resolves to 127.0.0.1: refused
      // when connecting, so the test GET never arrives and nothing is stored.
      const byName = await t.app.inject({ method: 'POST', url: '/nslcm/v1/subscriptions', payload: { callbackUri: cb.url.replace('127.0.0.1', 'localhost') } });
      expect(byName.statusCode).toBe(422);
      expect(byName.json()).toMatchObject({ code: 'CALLBACK_UNREACHABLE' });
      expect(byName.json().detail).toContain('RONDO_OUTBOUND_ALLOW');
      expect(cb.requests).toEqual([]);
      expect(await count(t.store, 'subscriptions')).toBe(0);
      expect((await t.app.inject({ method: 'GET', url: '/nslcm/v1/subscriptions' })).json()).toEqual([]);

      for (const url of ['/api/multicloud/v0/dc1/vesagent', '/admin/v1/vims/dc1/vesagent']) {
        const r = await t.app.inject({ method: 'POST', url, payload: vesBody(collector.url) });
        expect(r.statusCode, url).toBe(400);
        expect(r.json()).toMatchObject({ status: 400, code: 'OUTBOUND_NOT_ALLOWED', field: 'vesagent_config.ves_subscription.endpoint' });
        expect(r.body).not.toContain('ves-pw');
      }
      const creds = await t.app.inject({ method: 'POST', url: '/api/multicloud/v0/dc1/vesagent', payload: vesBody('http://u:p@10.1.2.3:8443') });
      expect(creds.json()).toMatchObject({ status: 400, code: 'OUTBOUND_URL_INVALID', field: 'vesagent_config.ves_subscription.endpoint' });
      expect(await count(t.store, 'ves_agent_configs')).toBe(0);
      expect((await t.app.inject({ method: 'GET', url: '/api/multicloud/v0/dc1/vesagent' })).json()).toEqual({ vesagent_config: null, vesagent_backlogs: null });
      expect(collector.requests).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('with 127.0.0.1/32 allowed, the subscription and the VES config are stored and notifications and events arrive', async () => {
    const t = await openAppWithAllow(kind, `outbound-allow-${kind}`, '10.0.0.0/8,127.0.0.1/32');
    try {
      const sub = await t.app.inject({ method: 'POST', url: '/nslcm/v1/subscriptions', payload: { callbackUri: `${cb.url}/ok` } });
      expect(sub.statusCode).toBe(201);
      expect(cb.requests.filter((r) => r.method === 'GET' && r.path === '/ok')).toHaveLength(1);
      const ves = await t.app.inject({ method: 'POST', url: '/api/multicloud/v0/dc1/vesagent', payload: vesBody(collector.url) });
      expect(ves.statusCode).toBe(201);
      expect(await count(t.store, 'subscriptions')).toBe(1);
      expect(await count(t.store, 'ves_agent_configs')).toBe(1);

      const monitoring = t.services.monitoring!;
      await monitoring.start();
      await monitoring.notifications.publishNsCreated('ns-allowed');
      await cb.waitFor(() => cb.notifications.some((n) => n.nsInstanceId === 'ns-allowed'));
      await collector.waitFor(() => collector.find({ domain: 'heartbeat', sourceName: 'dc1' }).length > 0);
      // Counted once the POST's answer is read, which may come after the callback saw it.
      await monitoring.notifications.idle();
      expect(monitoring.notifications.delivered).toBeGreaterThanOrEqual(1);
    } finally {
      await t.close();
    }
  });
});

/** A real local HTTP server whose behaviour the test gives; records requests and how each response ended. */
class ScriptedServer {
  readonly requests: { method: string; path: string }[] = [];
  /** Bytes written per response and whether the client went away before the end. */
  readonly responses: { written: number; cut: boolean }[] = [];
  #server: Server | null = null;
  constructor(private readonly handle: (req: IncomingMessage, res: ServerResponse, log: { written: number; cut: boolean }) => void) {}
  get url(): string {
    return `http://127.0.0.1:${(this.#server?.address() as AddressInfo).port}`;
  }
  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      this.requests.push({ method: req.method ?? '', path: req.url ?? '' });
      const log = { written: 0, cut: false };
      this.responses.push(log);
      res.on('close', () => (log.cut = !res.writableFinished));
      req.resume();
      req.on('end', () => this.handle(req, res, log));
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', () => r()));
  }
  async stop(): Promise<void> {
    const s = this.#server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

/** Streams `total` bytes (no content-length) respecting back-pressure, stopping when the client goes. */
function stream(res: ServerResponse, log: { written: number }, total: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(16 * 1024, 0x61);
  const pump = () => {
    while (log.written < total && !res.destroyed) {
      log.written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

let n = 0;
const ctx = { reportingEntityName: 'rondo-it', ids: { next: () => `e${++n}` }, sequences: createSequenceCounter() };
const hb = (): VesEvent => buildHeartbeatEvent(ctx, { source: { sourceId: 'dc1', sourceName: 'dc1' }, at: new Date(), intervalSeconds: 10 });

describe('outbound calls: redirects, timeouts and answer sizes', () => {
  let guard: OutboundGuard;
  const cleanup: (() => Promise<unknown>)[] = [];
  beforeAll(() => {
    guard = createOutboundGuard({ allow: ['127.0.0.1/32'] });
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  afterAll(async () => guard.close());

  const started = async <T extends { start(): Promise<void>; stop(): Promise<void> }>(s: T): Promise<T> => {
    await s.start();
    cleanup.push(() => s.stop());
    return s;
  };

  describe.each(STORE_KINDS)('SOL005 callbacks (%s)', (kind) => {
    let store: Store;
    const sealer = createSecretBox('cd'.repeat(32));
    beforeAll(async () => {
      store = await openTestStore(kind, `outbound-callbacks-${kind}`);
    });
    afterAll(async () => store.close());

    const services = (limits = { timeoutMs: 300, maxResponseBytes: 16 * 1024 }) => {
      const repo = subscriptionRepository(store.db);
      const clock = steppingClock();
      const ids = counterIds();
      const notifications = new NotificationService({ repo, sealer, clock, ids, guard, limits, maxAttempts: 2, backoff: { initialMs: 10, maxMs: 20 }, random: () => 1 });
      cleanup.push(() => notifications.stop(), () => store.db.deleteFrom('subscriptions').execute());
      return { notifications, subscriptions: createSubscriptionService({ repo, sealer, clock, ids, guard, limits }) };
    };

    it('does not follow a redirect, neither for the test GET nor for a notification POST', async () => {
      const target = await started(new CallbackServer());
      const redirecting = await started(new ScriptedServer((_req, res) => void res.writeHead(302, { location: `${target.url}/stolen` }).end()));
      const { subscriptions, notifications } = services();
      await expect(subscriptions.create('nslcm', { callbackUri: `${redirecting.url}/cb` })).rejects.toMatchObject({
        status: 422,
        code: 'CALLBACK_UNREACHABLE',
        details: { callbackStatus: 302 },
        message: expect.stringContaining('redirects are not followed'),
      });
      expect(await count(store, 'subscriptions')).toBe(0);

      // A callback that passes the test GET, then redirects its POSTs.
      const postRedirect = await started(new ScriptedServer((req, res) => void (req.method === 'GET' ? res.writeHead(204) : res.writeHead(302, { location: `${target.url}/stolen` })).end()));
      expect((await subscriptions.create('nslcm', { callbackUri: `${postRedirect.url}/cb` })).created).toBe(true);
      await notifications.publishNsCreated('ns-r');
      await notifications.idle();
      expect(postRedirect.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
      expect({ delivered: notifications.delivered, failed: notifications.failedAttempts, abandoned: notifications.abandoned }).toEqual({ delivered: 0, failed: 2, abandoned: 1 });
      expect(redirecting.requests).toHaveLength(1);
      expect(target.requests).toEqual([]);
    });

    it('times out a callback that never answers (test GET: 422; POSTs: retried then abandoned) and cuts a huge answer', async () => {
      const silent = await started(new ScriptedServer((req, res) => void (req.method === 'GET' ? res.writeHead(204).end() : undefined)));
      const silentGet = await started(new ScriptedServer(() => undefined));
      const { subscriptions, notifications } = services();
      let t0 = performance.now();
      await expect(subscriptions.create('nslcm', { callbackUri: `${silentGet.url}/cb` })).rejects.toMatchObject({ status: 422, code: 'CALLBACK_UNREACHABLE', message: expect.stringContaining('no answer within 300 ms') });
      console.log(`callback test GET to a silent server gave up after ${Math.round(performance.now() - t0)} ms (timeout 300 ms)`);
      expect(await count(store, 'subscriptions')).toBe(0);

      await subscriptions.create('nslcm', { callbackUri: `${silent.url}/cb` });
      t0 = performance.now();
      await notifications.publishNsCreated('ns-t');
      await notifications.idle();
      console.log(`2 POSTs to a silent callback abandoned after ${Math.round(performance.now() - t0)} ms (timeout 300 ms each)`);
      expect(silent.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
      expect({ delivered: notifications.delivered, failed: notifications.failedAttempts, abandoned: notifications.abandoned }).toEqual({ delivered: 0, failed: 2, abandoned: 1 });

      // A test GET answered with 200 and 50 MB: cut at 16 KiB, so the callback is unreachable.
      // With a 30 s timeout: the size limit, not the clock, must be what stops it on a busy machine.
      const huge = await started(new ScriptedServer((_req, res, log) => stream(res, log, 50 * 1024 * 1024)));
      await expect(services({ timeoutMs: 30_000, maxResponseBytes: 16 * 1024 }).subscriptions.create('nslcm', { callbackUri: `${huge.url}/cb` })).rejects.toMatchObject({ code: 'CALLBACK_UNREACHABLE', message: expect.stringContaining('exceeds the limit of 16384') });
      await expect.poll(() => huge.responses[0]?.cut).toBe(true);
      console.log(`huge callback answer cut: the server wrote ${huge.responses[0]!.written} of ${50 * 1024 * 1024} bytes before the client went away`);
      expect(huge.responses[0]!.written).toBeLessThan(50 * 1024 * 1024);
    });
  });

  describe('VES delivery', () => {
    const delivery = (endpoint: string, limits = { timeoutMs: 300, maxResponseBytes: 16 * 1024 }) => {
      const d = new VesDelivery({ endpoint, guard, limits, maxLingerMs: 1, backoff: { initialMs: 10, maxMs: 20 }, random: () => 1 });
      d.start();
      cleanup.push(() => d.stop());
      return d;
    };

    it('does not follow a redirect: the batch is refused for good and the target gets nothing', async () => {
      const target = await started(new VesCollector());
      const redirecting = await started(new ScriptedServer((_req, res) => void res.writeHead(307, { location: `${target.url}/eventListener/v7` }).end()));
      const d = delivery(redirecting.url);
      d.enqueue(hb());
      await expect.poll(() => d.rejected).toBe(1);
      await d.drained();
      expect({ sent: d.sent, failed: d.failedAttempts, rejected: d.rejected }).toEqual({ sent: 0, failed: 1, rejected: 1 });
      expect(redirecting.requests).toEqual([{ method: 'POST', path: '/eventListener/v7' }]);
      expect(target.requests).toBe(0);
    });

    it('times out a collector that never answers and retries; delivers once it answers', async () => {
      let answer = false;
      const collector = await started(new ScriptedServer((_req, res) => void (answer ? res.writeHead(202).end() : undefined)));
      const d = delivery(collector.url);
      const t0 = performance.now();
      d.enqueue(hb());
      await expect.poll(() => d.failedAttempts, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
      console.log(`VES: ${d.failedAttempts} timed-out POSTs in ${Math.round(performance.now() - t0)} ms (timeout 300 ms, backoff ≤ 20 ms)`);
      expect(d.sent).toBe(0);
      expect(d.queueDepth).toBe(1);
      answer = true;
      await d.drained();
      expect(d.sent).toBe(1);
      expect(collector.requests.length).toBe(d.failedAttempts + 1);
    });

    it('cuts a huge answer (declared or streamed), counts the POST as failed and retries', async () => {
      const declared = await started(new ScriptedServer((_req, res) => void res.writeHead(202, { 'content-length': String(10 * 1024 * 1024) }).end()));
      const d1 = delivery(declared.url);
      d1.enqueue(hb());
      await expect.poll(() => d1.failedAttempts).toBeGreaterThanOrEqual(2);
      expect(d1.sent).toBe(0);

      const streamed = await started(new ScriptedServer((_req, res, log) => stream(res, log, 50 * 1024 * 1024)));
      const errors: string[] = [];
      const d2 = new VesDelivery({ endpoint: streamed.url, guard, limits: { timeoutMs: 5_000, maxResponseBytes: 16 * 1024 }, maxLingerMs: 1, backoff: { initialMs: 10, maxMs: 20 }, random: () => 1, onError: (e) => errors.push((e as Error).message) });
      d2.start();
      cleanup.push(() => d2.stop());
      d2.enqueue(hb());
      await expect.poll(() => d2.failedAttempts).toBeGreaterThanOrEqual(2);
      await expect.poll(() => streamed.responses.slice(0, 2).every((r) => r.cut)).toBe(true);
      expect(d2.sent).toBe(0);
      expect(errors[0]).toContain('exceeds the limit of 16384 bytes');
      const written = streamed.responses.slice(0, 2).map((r) => r.written);
      console.log(`VES: huge streamed answers cut; the collector wrote ${written.join(', ')} of ${50 * 1024 * 1024} bytes each before the client went away`);
      expect(Math.max(...written)).toBeLessThan(50 * 1024 * 1024);
    });
  });
});

describe.each(STORE_KINDS)('a stored VES config whose endpoint the allow-list refuses after a restart (%s)', (kind) => {
  it('is kept but not polled, and the agent still starts', async () => {
    const store = await openTestStore(kind, `outbound-stored-ves-${kind}`);
    const collector = new VesCollector();
    await collector.start();
    const strict = createOutboundGuard({ allow: ['10.0.0.0/8'] });
    const errors: string[] = [];
    const options = {
      repo: vesConfigRepository(store.db),
      secrets: createSecretBox('12'.repeat(32)),
      bus: createEventBus<MonitoringTopics>(),
      vims: () => undefined,
      clock: steppingClock(),
      ids: counterIds(),
      reportingEntityName: 'rondo-it',
      delivery: { maxLingerMs: 1 },
      onError: (e: unknown, what: string) => errors.push(`${what}: ${(e as Error).message}`),
    };
    try {
      const open = new VesAgent(options);
      await open.configure('dc1', { vesagent_config: { ves_subscription: { endpoint: collector.url }, backlogs: [{ domain: 'heartbeat', poll_interval: 1 }] } });
      const restarted = new VesAgent({ ...options, guard: strict });
      await restarted.start();
      expect(restarted.runner('dc1')).toBeUndefined();
      expect(errors).toEqual([expect.stringMatching(/VES agent of VIM dc1 not started.*not in RONDO_OUTBOUND_ALLOW/)]);
      expect((await restarted.get('dc1'))?.vesagent_config.ves_subscription.endpoint).toBe(collector.url);
      await expect(restarted.configure('dc2', { vesagent_config: { ves_subscription: { endpoint: collector.url } } })).rejects.toMatchObject({ code: 'OUTBOUND_NOT_ALLOWED' });
      await restarted.stop();
      expect(collector.requests).toBe(0);
    } finally {
      await strict.close();
      await collector.stop();
      await store.close();
    }
  });
});
