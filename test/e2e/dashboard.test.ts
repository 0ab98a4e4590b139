/**
 * The whole path a user sees, in a real browser against a real server with Docker PoPs:
 * upload the tango-chain package, create and instantiate an NS, watch the live topology
 * turn green, scale the firewall out and in with its buttons and watch its VNFC instances
 * come and go (in the topology and in Docker), kill a VNF container and watch its node turn
 * red (Docker events → VIM watcher → bus → /api/events → EventSource), heal it with its
 * button, terminate, and check Docker is clean. Fails — never skips — without chromium or Docker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/index.js';
import { startServer } from '../../src/app/index.js';
import type { RunningServer } from '../../src/app/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { ensureDashboardBuilt, launchBrowser, openPage, screenshot, waitForTopology } from '../support/browser.js';
import type { TopologySnapshot } from '../support/browser.js';
import { TANGO_CHAIN_TOPOLOGY } from '../support/fake-ns.js';

const run = promisify(execFile);
const docker = async (...args: string[]): Promise<string> => (await run('docker', args, { timeout: 30_000 })).stdout.trim();
const ADMIN = { user: 'e2e-admin', password: 'dashboard-e2e-password' };

describe('dashboard end to end (browser + Docker)', () => {
  let dir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[];
  let nsId = '';

  beforeAll(async () => {
    try {
      await docker('info', '--format', '{{.ServerVersion}}');
    } catch (e) {
      throw new Error(`Docker is required for this test and does not answer: ${(e as Error).message}`);
    }
    browser = await launchBrowser();
    await ensureDashboardBuilt();
    dir = await mkdtemp(join(tmpdir(), 'rondo-dash-e2e-'));
    // If authentication is on, the bootstrap admin is this user; the test signs in through the UI.
    process.env.RONDO_ADMIN_USER = ADMIN.user;
    process.env.RONDO_ADMIN_PASSWORD = ADMIN.password;
    const config = loadConfig(process.env, { dataDir: dir, port: 0, host: '127.0.0.1', logLevel: (process.env.RONDO_TEST_LOG as 'info' | undefined) ?? 'warn' });
    server = await startServer(config);
    ({ page, errors } = await openPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    // Never leak containers or networks, even when an assertion failed half-way.
    if (nsId) {
      const ids = await docker('ps', '-aq', '--filter', `label=rondo.ns=${nsId}`).catch(() => '');
      if (ids) await docker('rm', '-f', ...ids.split('\n')).catch(() => '');
      const nets = await docker('network', 'ls', '-q', '--filter', `label=rondo.ns=${nsId}`).catch(() => '');
      if (nets) await docker('network', 'rm', ...nets.split('\n')).catch(() => '');
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Signs in when the server asks for it. */
  async function signInIfAsked(): Promise<void> {
    const form = page.getByTestId('login-form');
    if (!(await form.isVisible())) return;
    await form.locator('input[autocomplete=username]').fill(ADMIN.user);
    await form.locator('input[type=password]').fill(ADMIN.password);
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached', timeout: 10_000 });
  }

  /**
   * The NS and its operations as the API has them, and the page's error box: what a timed-out
   * wait needs to tell a UI that missed an update from an operation that never finished.
   */
  async function whatTheServerSays(url: string): Promise<string> {
    const token = await page.evaluate<string | null>("sessionStorage.getItem('rondo.token')");
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const get = async (path: string): Promise<string> => {
      const r = await fetch(`${url}${path}`, { headers }).catch((e: unknown) => ({ status: 0, text: async () => String(e) }));
      return `GET ${path} → ${r.status}: ${(await r.text()).slice(0, 2000)}`;
    };
    const shown = await page.getByTestId('error').allTextContents();
    return [
      await get(`/nslcm/v1/ns_instances/${nsId}`),
      await get(`/nslcm/v1/ns_lcm_op_occs?filter=(eq,nsInstanceId,${nsId})`),
      `stream: ${(await page.getByTestId('stream-state').allTextContents()).join(' ')}; error box: ${shown.join(' | ') || 'none'}`,
    ].join('\n');
  }

  /** Polls `check` until it holds (100 ms apart, at most `ms`); the error says what did not happen and what the server says. */
  async function until(url: string, what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
    for (const end = Date.now() + ms; !(await check()); await page.waitForTimeout(100)) {
      if (Date.now() > end) throw new Error(`${what}: not true after ${ms} ms\n${await whatTheServerSays(url)}`);
    }
  }

  /** Fails with one message listing every piece of wiring `startServer` still lacks. */
  async function requireWiring(url: string): Promise<void> {
    const missing: string[] = [];
    const ui = await fetch(`${url}/ui/`);
    if (!(ui.headers.get('content-type') ?? '').includes('text/html')) missing.push(`GET /ui/ → ${ui.status}: register uiRoutes (src/api/system/ui-routes.ts) in the app`);
    const ac = new AbortController();
    const ev = await fetch(`${url}/api/events`, { signal: ac.signal }).catch((e: unknown) => ({ status: 0, headers: new Headers(), e }));
    if (ev.status === 404) missing.push('GET /api/events → 404: register eventsRoutes with a feed of the monitoring bus (vnf.*) and the lifecycle events');
    ac.abort();
    for (const path of ['/nslcm/v1/ns_instances', '/nslcm/v1/ns_lcm_op_occs']) {
      const r = await fetch(`${url}${path}`);
      if (r.status === 404) missing.push(`GET ${path} → 404: the NS lifecycle routes are not registered`);
    }
    if (missing.length > 0) throw new Error(`startServer is not wired for the dashboard yet:\n  - ${missing.join('\n  - ')}`);
  }

  it('uploads, instantiates, shows the live topology, scales and heals by its buttons, reports a dead VNF, terminates without leftovers', async () => {
    const pkg = join(dir, 'tango-chain.tgo');
    await buildPackage('examples/tango-chain', pkg);
    const url = (server as RunningServer).url;
    await requireWiring(url);

    // 1. Upload in the catalog.
    await page.goto(`${url}/ui/catalog`);
    await page.waitForTimeout(500);
    await signInIfAsked();
    await page.getByTestId('upload-input').setInputFiles(pkg);
    await page.getByTestId('upload-ok').waitFor({ timeout: 30_000 });

    // 2. Create an NS from the NSD; the app navigates to its page.
    await page.getByTestId('nsd-row').first().getByTestId('create-ns').click();
    await page.getByTestId('ns-name').fill('dashboard-e2e');
    await page.getByTestId('create-ns-submit').click();
    await page.waitForURL(/\/ui\/ns\/[^/]+$/, { timeout: 15_000 });
    nsId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(nsId).not.toBe('');
    await page.getByTestId('stream-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });

    // 3. Instantiate and time the way to an all-green topology.
    const { pops, members, lanHubs, edges } = TANGO_CHAIN_TOPOLOGY;
    await page.getByTestId('instantiate').click();
    const t0 = Date.now();
    const green = await waitForTopology(
      page,
      (t) => t.nodes.filter((n) => (n.kind === 'vnf' || n.kind === 'sap') && n.state === 'running').length === members && t.edges.length === edges,
      170_000,
      `all ${members} members running`,
    );
    const elapsed = Date.now() - t0;
    console.log(`[dashboard e2e] instantiate click → all-green topology: ${elapsed} ms`);
    expect(green.nodes.filter((n) => n.kind === 'pop').length).toBeGreaterThanOrEqual(1);
    expect(green.nodes.filter((n) => n.kind === 'pop').length).toBeLessThanOrEqual(pops);
    expect(green.nodes.filter((n) => n.kind === 'lan')).toHaveLength(lanHubs);
    expect(green.nodes.filter((n) => n.kind === 'vnf' || n.kind === 'sap')).toHaveLength(members);
    await page.getByTestId('ns-state').and(page.locator('[data-state=INSTANTIATED]')).waitFor({ timeout: 60_000 });
    await screenshot(page, 'dashboard-e2e-running', '.topology-wrap');

    // Every VNF is drawn with its one VNFC instance (container).
    const instances = (t: TopologySnapshot, member: string): TopologySnapshot['nodes'] => t.nodes.filter((n) => n.kind === 'vnfc' && n.parent === `m:${member}`);
    const drawn = await waitForTopology(page, (t) => ['client', 'firewall', 'server'].every((m) => instances(t, m).length === 1), 15_000, 'one VNFC instance per VNF');
    expect(instances(drawn, 'firewall')[0]?.state).toBe('running');

    // 4. Scale the firewall out and back in with its buttons: the topology and Docker follow.
    const running = async (member: string): Promise<string[]> =>
      (await docker('ps', '-q', '--filter', `label=rondo.ns=${nsId}`, '--filter', `label=rondo.vnf=${member}`)).split('\n').filter(Boolean);
    const row = page.locator('[data-testid=vnf-row][data-vnf=firewall]');
    const aspect = row.locator('[data-testid=aspect][data-aspect=vdu01]');
    await aspect.and(page.locator('[data-level="0"][data-max="2"]')).waitFor({ timeout: 15_000 });
    expect(await aspect.getByTestId('scale-in').isDisabled(), 'Scale in at level 0').toBe(true);
    const scale = async (button: 'scale-out' | 'scale-in', count: number): Promise<void> => {
      await aspect.getByTestId(button).click();
      await row.getByTestId('vnf-op-state').waitFor({ timeout: 10_000 });
      await waitForTopology(page, (t) => instances(t, 'firewall').length === count && instances(t, 'firewall').every((n) => n.state === 'running'), 60_000, `${count} firewall instances running after ${button}`)
        .catch(async (e: unknown) => { throw new Error(`${(e as Error).message}\n${await whatTheServerSays(url)}`); });
      await until(url, `Docker runs ${count} firewall containers`, async () => (await running('firewall')).length === count, 30_000);
      await row.getByTestId('vnf-op-state').and(page.locator('[data-state=COMPLETED]')).waitFor({ timeout: 30_000 });
    };
    const t1 = Date.now();
    await scale('scale-out', 2);
    await aspect.and(page.locator('[data-level="1"]')).waitFor({ timeout: 15_000 });
    await screenshot(page, 'dashboard-e2e-scaled-out', '.topology-wrap');
    await screenshot(page, 'dashboard-e2e-scaled-out-vnfs', '[data-testid=vnf-table]');
    await scale('scale-in', 1);
    await aspect.and(page.locator('[data-level="0"]')).waitFor({ timeout: 15_000 });

    // 5. Kill the firewall's container behind Rondo's back: its node must turn red; Heal brings a new one.
    const fw = await running('firewall');
    expect(fw, 'a running firewall container labelled with the NS').toHaveLength(1);
    await docker('kill', ...fw);
    const red = await waitForTopology(page, (t) => t.nodes.find((n) => n.id === 'm:firewall')?.state === 'failed', 30_000, 'firewall failed after docker kill');
    expect(red.nodes.filter((n) => n.kind === 'vnf' && n.state === 'running')).toHaveLength(2);
    expect(instances(red, 'firewall').map((n) => n.state)).toEqual(['failed']);
    await screenshot(page, 'dashboard-e2e-firewall-down', '.topology-wrap');
    await row.getByTestId('heal').click();
    const healed = await waitForTopology(
      page,
      (t) => t.nodes.find((n) => n.id === 'm:firewall')?.state === 'running' && instances(t, 'firewall').length === 1 && !instances(t, 'firewall')[0]?.id.includes(fw[0] as string),
      60_000,
      'a new running firewall instance after Heal',
    ).catch(async (e: unknown) => { throw new Error(`${(e as Error).message}\n${await whatTheServerSays(url)}`); });
    expect(instances(healed, 'firewall')[0]?.state).toBe('running');
    await until(url, 'Docker runs a new firewall container', async () => {
      const now = await running('firewall');
      return now.length === 1 && !fw.some((id) => (now[0] as string).startsWith(id));
    }, 30_000);
    await row.getByTestId('vnf-op-state').and(page.locator('[data-state=COMPLETED]')).waitFor({ timeout: 30_000 });
    console.log(`[dashboard e2e] scale out, scale in, kill and heal through the buttons: ${Date.now() - t1} ms`);

    // 6. Terminate; nothing labelled with the NS may remain.
    await page.getByTestId('terminate').click();
    await page.getByTestId('ns-state').and(page.locator('[data-state=NOT_INSTANTIATED]')).waitFor({ timeout: 150_000 }).catch(async (e: unknown) => {
      throw new Error(`${(e as Error).message}\n${await whatTheServerSays(url)}`);
    });
    expect(await docker('ps', '-aq', '--filter', `label=rondo.ns=${nsId}`)).toBe('');
    expect(await docker('network', 'ls', '-q', '--filter', `label=rondo.ns=${nsId}`)).toBe('');
    await screenshot(page, 'dashboard-e2e-terminated');
    expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });
});
