import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI, runCli, startCliServer } from '../support/cli-server.js';
import type { CliRun, CliServer } from '../support/cli-server.js';

// Authentication is off for this tour of the commands (test/integration/auth-wiring.test.ts
// covers `rondo login` against a server with it on); no stored login or token leaks in.
const env = {
  ...process.env, DATABASE_URL: '', RONDO_URL: '', RONDO_LOG_LEVEL: 'info', RONDO_INSECURE_NO_AUTH: '1',
  RONDO_TOKEN: '', RONDO_API_KEY: '',
  // One item per page: list commands must follow SOL013's Link rel="next".
  RONDO_PAGE_SIZE: '1', RONDO_CONFIG_DIR: join(tmpdir(), `rondo-e2e-config-${process.pid}`),
};

/** Runs the built `bin/rondo …` (`npm run build` first; `make test` does); resolves with exit code and output, never rejects. */
const rondo = (args: string[], url?: string): Promise<CliRun> => runCli(BUILT_CLI, [...args, ...(url ? ['--url', url] : [])], { env });

describe('rondo CLI against a real server', () => {
  let dir: string;
  let server: CliServer | undefined;
  let url = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-e2e-'));
    server = await startCliServer(BUILT_CLI, { env, dataDir: join(dir, 'data') });
    url = server.url;
  }, 200_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('builds, validates and on-boards both examples; lists them; stops cleanly', { timeout: 400_000 }, async () => {
    const tango = join(dir, 'chain.tgo');
    const csar = join(dir, 'relay.csar');
    // Independent commands run side by side.
    const built = await Promise.all([rondo(['package', 'build', 'examples/tango-chain', '-o', tango]), rondo(['package', 'build', 'examples/sol004-csar', '-o', csar])]);
    expect(built.map((b) => b.code)).toEqual([0, 0]);

    const valid = await rondo(['package', 'validate', tango]);
    expect([valid.code, valid.stdout]).toEqual([0, expect.stringContaining('valid tango package')]);
    const bad = join(dir, 'bad.tgo');
    await writeFile(bad, 'not a zip');
    const invalid = await rondo(['package', 'validate', bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('bad.tgo: not a zip archive');
    const invalidJson = await rondo(['package', 'validate', bad, '--json']);
    expect([invalidJson.code, JSON.parse(invalidJson.stdout).valid]).toEqual([1, false]);
    expect((await rondo(['package', 'validate', join(dir, 'missing.tgo')])).code).toBe(2);

    const on1 = await rondo(['package', 'onboard', tango], url);
    expect(on1.code, on1.stderr).toBe(0);
    expect(on1.stdout).toMatch(/on-boarded .*chain\.tgo as package [0-9a-f-]{36}/);
    expect(on1.stdout).toContain('eu.rondo/vnf-firewall/0.1');
    const on2 = await rondo(['package', 'onboard', csar, '--json'], url);
    expect(on2.code, on2.stderr).toBe(0);
    expect(JSON.parse(on2.stdout)).toMatchObject({ format: 'etsi-csar', fileName: 'relay.csar' });
    const dup = await rondo(['package', 'onboard', csar], url);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('409');

    const list = await rondo(['package', 'list', '--json'], url);
    const pkgs = JSON.parse(list.stdout) as { id: string; name: string; vnfds: unknown[] }[];
    expect(pkgs).toHaveLength(2);
    expect(pkgs.map((p) => p.name)).toContain('tango-chain');
    expect(await readdir(join(dir, 'data', 'packages'))).toHaveLength(2);

    const nsds = await rondo(['nsd', 'list'], url);
    expect(nsds.code).toBe(0);
    expect(nsds.stdout).toMatch(/ns-chain\s+0\.1/);
    const nsdsJson = JSON.parse((await rondo(['nsd', 'list', '--json'], url)).stdout) as { nsdName?: string; nsdId: string }[];
    expect(nsdsJson.length).toBeGreaterThanOrEqual(2);
    expect(new Set(nsdsJson.map((n) => n.nsdId)).size).toBe(nsdsJson.length);
    const show = await rondo(['package', 'show', pkgs[0]?.id as string], url);
    expect(show.stdout).toContain('sha256:');

    const del = await rondo(['package', 'delete', pkgs[0]?.id as string], url);
    expect(del.code).toBe(0);
    expect((await rondo(['package', 'show', pkgs[0]?.id as string], url)).code).toBe(1);
    expect((await rondo(['package', 'list'], 'http://127.0.0.1:1')).code).toBe(2);

    await server?.stop();
    expect(server?.proc.exitCode).toBe(0);
    expect(server?.log()).toContain('shutting down');
    // Insecure mode says so loudly at start-up.
    expect(server?.log()).toContain('AUTHENTICATION IS OFF');
  });
});
