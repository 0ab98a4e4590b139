import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
// Authentication is off for this tour of the commands (test/integration/auth-wiring.test.ts
// covers `rondo login` against a server with it on); no stored login or token leaks in.
const env = {
  ...process.env, DATABASE_URL: '', RONDO_URL: '', RONDO_LOG_LEVEL: 'info', RONDO_INSECURE_NO_AUTH: '1',
  RONDO_TOKEN: '', RONDO_API_KEY: '', RONDO_CONFIG_DIR: join(tmpdir(), `rondo-e2e-config-${process.pid}`),
};

/** Runs `rondo …` from source; resolves with exit code and output, never rejects. */
function rondo(args: string[], url?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...CLI, ...args, ...(url ? ['--url', url] : [])], { cwd: ROOT, env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}

describe('rondo CLI against a real server', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let url = '';
  let log = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-e2e-'));
    server = spawn(process.execPath, [...CLI, 'serve', '--port', '0', '--data-dir', join(dir, 'data')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 120_000);
      const onData = (b: Buffer) => {
        log += b.toString();
        const m = /Rondo listening on (http:\/\/[^"\s]+)/.exec(log);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      server?.stdout?.on('data', onData);
      server?.stderr?.on('data', onData);
      server?.once('exit', (c) => reject(new Error(`server exited with ${c}:\n${log}`)));
    });
  }, 200_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('builds, validates and on-boards both examples; lists them; stops cleanly', { timeout: 400_000 }, async () => {
    const tango = join(dir, 'chain.tgo');
    const csar = join(dir, 'relay.csar');
    // Independent commands run side by side: each CLI start compiles TypeScript via tsx.
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
    const show = await rondo(['package', 'show', pkgs[0]?.id as string], url);
    expect(show.stdout).toContain('sha256:');

    const del = await rondo(['package', 'delete', pkgs[0]?.id as string], url);
    expect(del.code).toBe(0);
    expect((await rondo(['package', 'show', pkgs[0]?.id as string], url)).code).toBe(1);
    expect((await rondo(['package', 'list'], 'http://127.0.0.1:1')).code).toBe(2);

    const exited = new Promise<number | null>((r) => server?.once('exit', (c) => r(c)));
    server?.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log).toContain('shutting down');
    // Insecure mode says so loudly at start-up.
    expect(log).toContain('AUTHENTICATION IS OFF');
  });
});
