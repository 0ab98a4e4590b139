/**
 * The dashboard in a real browser against the real API (catalog, upload, SSE), without
 * Docker: the lifecycle answers for the topology check are served by the browser's
 * request interception, events go through the real `/api/events` route from a test bus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/index.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { openStore } from '../../src/store/index.js';
import { pgliteTemplate } from '../support/store.js';
import type { Store } from '../../src/store/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import type { EventBus } from '../../src/bus/index.js';
import type { MonitoringTopics } from '../../src/monitoring/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { describeScripts, ensureDashboardBuilt, FIRST_LOAD_JS_BUDGET, launchBrowser, openPage, screenshot, TOPOLOGY_CHUNK, trackScripts, waitForTopology } from '../support/browser.js';
import { FAKE_NS_ID, fakeNsInstance, fakeOps, TANGO_CHAIN_TOPOLOGY } from '../support/fake-ns.js';

describe('dashboard (browser, no Docker)', () => {
  let dir: string;
  let store: Store;
  let base: string;
  let browser: Browser;
  let bus: EventBus<MonitoringTopics>;
  let composition: Composition | undefined;

  beforeAll(async () => {
    await ensureDashboardBuilt();
    browser = await launchBrowser();
    dir = await mkdtemp(join(tmpdir(), 'rondo-ui-'));
    // Authentication off: this file tests the dashboard's views (dashboard-login.test.ts tests sign-in).
    const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir: dir, logLevel: 'silent', host: '127.0.0.1', port: 0 });
    store = await openStore({ kind: 'pglite', dataDir: join(dir, 'db'), loadDataDir: await pgliteTemplate() });
    composition = await compose({ config, store, clock: systemClock, ids: uuidGenerator });
    // The real `/api/events` route streams the monitoring bus: publish VNF events there.
    bus = composition.services.monitoring.bus;
    base = await composition.listen();
  });

  afterAll(async () => {
    await browser?.close();
    await composition?.close();
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function page(): Promise<{ page: Page; errors: string[] }> {
    return openPage(browser);
  }

  it('serves the SPA at /ui with deep-link fallback, and 404s for missing assets', async () => {
    expect((await fetch(`${base}/ui/ns/anything`)).headers.get('content-type')).toMatch(/text\/html/);
    const missing = await fetch(`${base}/ui/assets/missing.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('NOT_FOUND');
  });

  it('the first load (NS list) fetches under 250 KB of JavaScript and no Cytoscape', async () => {
    const { page: p, errors } = await page();
    const js = trackScripts(p);
    await p.goto(`${base}/ui/ns`);
    await p.getByTestId('stream-state').waitFor({ timeout: 20_000 });
    await p.getByText('No NS instances').or(p.getByTestId('ns-list')).first().waitFor({ timeout: 20_000 });
    const scripts = await js.scripts();
    const total = scripts.reduce((n, s) => n + s.bytes, 0);
    console.log(`first load JS (NS list): ${describeScripts(scripts)}`);
    expect(scripts.length).toBeGreaterThan(0);
    expect(total).toBeLessThan(FIRST_LOAD_JS_BUDGET);
    expect(scripts.filter((s) => TOPOLOGY_CHUNK.test(s.url))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('uploads by file picker, shows validation issues per file and field, then the descriptor as YAML', async () => {
    const bad = join(dir, 'broken.tgo');
    const good = join(dir, 'tango-chain.tgo');
    await buildPackage('examples/invalid/broken-cp-ref', bad);
    await buildPackage('examples/tango-chain', good);
    const { page: p, errors } = await page();
    await p.goto(`${base}/ui/catalog`);
    await p.getByTestId('upload-input').setInputFiles(bad);
    await p.getByTestId('upload-issues').waitFor({ timeout: 20_000 });
    const issues = await p.getByTestId('upload-issue').allInnerTexts();
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.join('\n')).toContain('/virtual_links/');
    expect(await p.getByTestId('upload-issues').innerText()).toContain('Definitions/nsd.yaml');

    await p.getByTestId('upload-input').setInputFiles(good);
    await p.getByTestId('upload-ok').waitFor({ timeout: 20_000 });
    await p.getByTestId('nsd-row').first().locator('button.linkish').click();
    await p.getByTestId('descriptor-yaml').filter({ hasText: 'forwarding_graphs' }).waitFor({ timeout: 10_000 });
    await screenshot(p, 'dashboard-catalog');
    // The 422 of the rejected upload is logged by the browser; nothing else may fail.
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  it('draws the topology (PoPs, VNFs, SAPs, typed links, forwarding path) and turns a dead VNF red from an SSE event', async () => {
    const pkgs = (await (await fetch(`${base}/admin/v1/packages`)).json()) as { nsds: { id: string }[] }[];
    const nsdInfoId = pkgs[0]?.nsds[0]?.id ?? '';
    expect(nsdInfoId).not.toBe('');
    const { page: p, errors } = await page();
    let firewall: 'STARTED' | 'FAILED' = 'STARTED';
    await p.route(`**/nslcm/v1/ns_instances/${FAKE_NS_ID}`, (r) => r.fulfill({ json: fakeNsInstance(nsdInfoId, firewall) }));
    await p.route('**/nslcm/v1/ns_lcm_op_occs', (r) => r.fulfill({ json: fakeOps }));
    const js = trackScripts(p);
    await p.goto(`${base}/ui/ns/${FAKE_NS_ID}`);

    const { pops, members, lanHubs, vnfcs, edges, pathEdges } = TANGO_CHAIN_TOPOLOGY;
    const isMember = (n: { kind: string }): boolean => n.kind === 'vnf' || n.kind === 'sap';
    const ready = await waitForTopology(p, (t) => t.nodes.filter((n) => isMember(n) && n.state === 'running').length === members, 20_000, 'all members running');
    expect(ready.nodes.filter((n) => n.kind === 'pop').map((n) => n.id).sort()).toEqual(['pop:dc1', 'pop:dc2']);
    expect(ready.nodes).toHaveLength(pops + members + lanHubs + vnfcs);
    expect(ready.nodes.find((n) => n.kind === 'vnfc' && n.parent === 'm:firewall')?.state).toBe('running');
    expect(ready.edges).toHaveLength(edges);
    expect(ready.edges.filter((e) => e.onPath)).toHaveLength(pathEdges);
    expect(ready.nodes.find((n) => n.id === 'm:server')?.parent).toBe('pop:dc2');
    expect(new Set(ready.edges.map((e) => e.linkKind))).toEqual(new Set(['E-Line', 'E-LAN', 'management']));
    // Drawn by Cytoscape from its own chunk, fetched for this page.
    expect((await js.scripts()).filter((s) => TOPOLOGY_CHUNK.test(s.url))).toHaveLength(1);
    await p.getByTestId('stream-state').filter({ hasText: 'live' }).waitFor({ timeout: 10_000 });
    await p.waitForTimeout(400); // let the preset layout settle before the picture
    const shot = await screenshot(p, 'dashboard-topology', '.topology-wrap');
    await copyFile(shot, 'docs/topology.png');
    expect((await stat('docs/topology.png')).size).toBeLessThan(200 * 1024);

    // The watcher's event, through the real SSE route; the refetch then sees FAILED too.
    firewall = 'FAILED';
    bus.publish('vnf.down', { type: 'vnf.down', nsId: FAKE_NS_ID, vnfId: 'firewall', popId: 'dc1', computeId: 'container-firewall', at: new Date() });
    const red = await waitForTopology(p, (t) => t.nodes.find((n) => n.id === 'm:firewall')?.state === 'failed', 10_000, 'firewall failed');
    expect(red.nodes.filter((n) => isMember(n) && n.state === 'running')).toHaveLength(members - 1);
    expect(red.nodes.find((n) => n.kind === 'vnfc' && n.parent === 'm:firewall')?.state).toBe('failed');
    expect(await p.getByTestId('event-log').innerText()).toContain('vnf.down');
    await screenshot(p, 'dashboard-topology-failed', '.topology-wrap');
    expect(errors).toEqual([]);
  });

  it('shows the store, the event bus and the plugins on the PoPs page (what rondo doctor says)', async () => {
    const { page: p, errors } = await page();
    await p.goto(`${base}/ui/pops`);
    const system = p.getByTestId('system');
    await system.getByTestId('system-store').filter({ hasText: 'pglite' }).waitFor({ timeout: 20_000 });
    expect(await system.getByTestId('system-bus').getAttribute('data-kind')).toBe('in-process');
    expect(await system.getByTestId('system-bus').innerText()).toContain('in-process');
    await system.getByTestId('system-plugins').filter({ hasText: 'none registered' }).waitFor({ timeout: 10_000 });
    expect(await p.getByTestId('error').count()).toBe(0);
    await screenshot(p, 'dashboard-pops-system');
    expect(errors).toEqual([]);
  });
});
