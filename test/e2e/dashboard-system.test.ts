/**
 * The PoPs page's System card against a Rondo on the real RabbitMQ: the broker is reached
 * through a TCP relay in this file, so the test can cut it (the bus loses its connection,
 * `/readyz` answers 503 `BUS_UNAVAILABLE`) and mend it (Rondo reconnects by itself)
 * without touching the shared broker. A missing broker fails loudly.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { BUS_GROUPS, compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { amqpNames } from '../../src/bus/index.js';
import { loadConfig } from '../../src/config/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { deleteAmqpPrefix, TEST_AMQP_URL } from '../support/amqp.js';
import { ensureDashboardBuilt, launchBrowser, openPage, screenshot } from '../support/browser.js';
import { pgliteTemplate } from '../support/store.js';

/** A TCP relay to the broker that can drop every connection and refuse new ones, then listen again on the same port. */
interface Relay {
  readonly port: number;
  cut(): Promise<void>;
  mend(): Promise<void>;
  close(): Promise<void>;
}

async function startRelay(to: { host: string; port: number }): Promise<Relay> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(to.port, to.host);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('error', drop).on('close', drop);
        }
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve((s.address() as AddressInfo).port);
      });
    });
  const cut = async () => {
    const s = server;
    server = null;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const sock of sockets) sock.destroy();
    await closed;
  };
  const port = await listen(0);
  return { port, cut, mend: async () => void (await listen(port)), close: cut };
}

describe('dashboard System card (browser, RabbitMQ)', () => {
  const prefix = `rondo-ui-system-${randomUUID().slice(0, 8)}`;
  const broker = new URL(TEST_AMQP_URL);
  let relay: Relay;
  let dir: string;
  let store: Store;
  let composition: Composition | undefined;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    await ensureDashboardBuilt();
    browser = await launchBrowser();
    relay = await startRelay({ host: broker.hostname, port: Number(broker.port || 5672) });
    const amqpUrl = new URL(TEST_AMQP_URL);
    amqpUrl.host = `127.0.0.1:${relay.port}`;
    dir = await mkdtemp(join(tmpdir(), 'rondo-ui-system-'));
    const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir: dir, logLevel: 'silent', host: '127.0.0.1', port: 0, amqpUrl: amqpUrl.href, amqpPrefix: prefix });
    store = await openStore({ kind: 'pglite', dataDir: join(dir, 'db'), loadDataDir: await pgliteTemplate() });
    composition = await compose({ config, store, clock: systemClock, ids: uuidGenerator });
    base = await composition.listen();
  });

  afterAll(async () => {
    await browser?.close();
    await composition?.close();
    await store?.close();
    await relay?.close();
    await deleteAmqpPrefix(prefix, Object.values(BUS_GROUPS).map((g) => amqpNames(prefix).groupQueue(g)));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const busCell = (p: Page, connected?: boolean) =>
    p.locator(`[data-testid="system"] [data-testid="system-bus"]${connected === undefined ? '' : `[data-connected="${connected}"]`}`);
  /** The bus cell's `data-connected` on a fresh load of the PoPs page. */
  const connectedOnLoad = async (p: Page): Promise<string | null> => {
    await p.goto(`${base}/ui/pops`);
    await p.locator('[data-testid="system-bus"][data-connected]').waitFor({ timeout: 10_000 });
    return busCell(p).getAttribute('data-connected');
  };

  it('shows RabbitMQ connected, then disconnected with the problem when the broker goes away, then connected again', async () => {
    const target = `amqp://127.0.0.1:${relay.port}`;
    const { page: p, errors } = await openPage(browser);
    await p.goto(`${base}/ui/pops`);
    await busCell(p, true).waitFor({ timeout: 20_000 });
    expect(await busCell(p).getAttribute('data-kind')).toBe('amqp');
    const text = await busCell(p).innerText();
    expect(text).toContain('RabbitMQ');
    expect(text).toContain(target);
    expect(text).not.toContain('guest');
    expect(await p.getByTestId('system-bus-state').getAttribute('data-state')).toBe('connected');
    expect(await p.getByTestId('system-store').innerText()).toBe('pglite');
    await screenshot(p, 'dashboard-system-rabbitmq');

    // The broker goes away: a fresh load shows it as a state, not an error box (the card
    // also asks again every 15 s; not waited for here).
    await relay.cut();
    await expect.poll(() => connectedOnLoad(p), { timeout: 30_000, interval: 250 }).toBe('false');
    expect(await p.getByTestId('system-bus-state').getAttribute('data-state')).toBe('disconnected');
    expect(await p.getByTestId('system-bus-problem').innerText()).toContain(target);
    expect(await p.getByTestId('system-store').innerText()).toBe('pglite');
    expect(await p.getByTestId('error').count()).toBe(0);
    await screenshot(p, 'dashboard-system-rabbitmq-down');

    // Back: Rondo reconnects by itself; a fresh load of the page shows it.
    await relay.mend();
    await expect.poll(() => connectedOnLoad(p), { timeout: 30_000, interval: 250 }).toBe('true');
    // The browser logs the 503s of /readyz while the broker was away; nothing else may fail.
    expect(errors.filter((e) => !e.includes('503'))).toEqual([]);
  });
});
