import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page, Response } from 'playwright-core';

/** Debian's chromium; browsers are never downloaded (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = process.env.RONDO_CHROMIUM ?? '/usr/bin/chromium';

/** Where browser tests leave screenshots (gitignored). */
export const ARTIFACTS_DIR = join(process.cwd(), 'test-artifacts');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launches headless chromium. Throws — never skips — when it is missing, with the command
 * that installs it.
 */
export async function launchBrowser(): Promise<Browser> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(`chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" (or set RONDO_CHROMIUM)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}

/** A page that fails the test on uncaught page errors and logs console errors. */
export async function openPage(browser: Browser, opts: { width?: number; height?: number } = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1360, height: opts.height ?? 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { page, errors };
}

/** What the first page load of the dashboard may fetch in JavaScript (uncompressed): React, the shell, one page. */
export const FIRST_LOAD_JS_BUDGET = 250 * 1024;

/** The lazy chunk that carries Cytoscape (Vite names chunks after their module). */
export const TOPOLOGY_CHUNK = /\/assets\/TopologyView-[\w-]+\.js$/;

/** One JavaScript response: its URL and body size (decoded, i.e. uncompressed). */
export interface ScriptLoad {
  readonly url: string;
  readonly bytes: number;
}

/**
 * Records every JavaScript response of a page from now on. Read `scripts()` once the page
 * shows what it loaded the code for: a chunk's response comes before its code runs, so all
 * of them are in by then.
 */
export function trackScripts(page: Page): { scripts(): Promise<ScriptLoad[]> } {
  const seen: Promise<ScriptLoad>[] = [];
  page.on('response', (r: Response) => {
    const type = r.headers()['content-type'] ?? '';
    if (r.request().resourceType() === 'script' || /javascript/.test(type)) seen.push(r.body().then((b) => ({ url: r.url(), bytes: b.length })));
  });
  return { scripts: () => Promise.all(seen) };
}

/** `12.3 KB in 4 files: index-x.js 230.1 KB, …`, for the test log. */
export const describeScripts = (scripts: readonly ScriptLoad[]): string =>
  `${(scripts.reduce((n, s) => n + s.bytes, 0) / 1024).toFixed(1)} KB in ${scripts.length} files: ${scripts.map((s) => `${s.url.split('/').pop()} ${(s.bytes / 1024).toFixed(1)} KB`).join(', ')}`;

/** Saves a screenshot to `test-artifacts/<name>.png`; returns the path. */
export async function screenshot(page: Page, name: string, selector?: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
  return path;
}

/** The topology the dashboard exposes on `window.__rondoTopology`. */
export interface TopologySnapshot {
  readonly nodes: readonly { id: string; kind: string; state: string | null; parent: string | null }[];
  readonly edges: readonly { id: string; source: string; target: string; linkKind: string; onPath: boolean }[];
}

/** Reads the topology on screen (null before the graph is drawn). */
export const readTopology = (page: Page): Promise<TopologySnapshot | null> =>
  page.evaluate(() => (globalThis as unknown as { __rondoTopology?: TopologySnapshot }).__rondoTopology ?? null);

/**
 * Waits until `predicate` holds for the topology on screen; the error shows the last
 * topology seen, so a timeout says which node was in which state.
 */
export async function waitForTopology(page: Page, predicate: (t: TopologySnapshot) => boolean, timeoutMs: number, what: string): Promise<TopologySnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: TopologySnapshot | null = null;
  while (Date.now() < deadline) {
    last = await readTopology(page);
    if (last && predicate(last)) return last;
    await page.waitForTimeout(100);
  }
  const states = last?.nodes.filter((n) => n.kind !== 'pop' && n.kind !== 'lan').map((n) => `${n.id}=${n.state}`).join(', ');
  throw new Error(`timed out after ${timeoutMs} ms waiting for the topology: ${what}; last seen: ${states ?? 'no topology drawn'}`);
}

/**
 * Builds the dashboard (`dist/web`) unless a build newer than every `src/web` file exists,
 * so a browser test never runs against a stale bundle.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  const { readdir, stat } = await import('node:fs/promises');
  const web = join(process.cwd(), 'src/web');
  const newest = async (dir: string): Promise<number> => {
    let t = 0;
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? await newest(p) : (await stat(p)).mtimeMs);
    }
    return t;
  };
  const built = await stat(join(process.cwd(), 'dist/web/index.html')).then((s) => s.mtimeMs, () => 0);
  if (built > (await newest(web))) return;
  const { build } = await import('vite');
  // The production bundle, as `npm run build` makes it: Vite (and plugin-react) take the
  // bundle's NODE_ENV from the environment, and vitest sets `test`, which bundles React's
  // development build (twice the size, so the first-load budget test would measure that).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
