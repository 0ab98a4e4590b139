import { spawn } from 'node:child_process';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';

/** Runs `bash scripts/demo.sh --no-wait` (CI=1) with the built bin/rondo (`npm run build` first; `make test` does); resolves with its exit code and output. */
function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['scripts/demo.sh', '--no-wait'], {
      env: { ...process.env, CI: '1', DATABASE_URL: '', RONDO_URL: '', RONDO_BIN: `${process.execPath} bin/rondo` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('make demo', () => {
  it('runs the chain end to end and leaves nothing behind', { timeout: 600_000 }, async () => {
    await new Docker().ping(); // fails loudly without Docker
    const { code, output } = await runDemo();
    expect(code, output).toBe(0);
    expect(output).toMatch(/Rondo is listening on http:\/\/127\.0\.0\.1:\d+/);
    // Two PoPs on two engines: dc2 is an engine of its own, and the chain crosses them.
    expect(output).toMatch(/dc1\s+docker/);
    expect(output).toMatch(/dc2\s+docker\s+unix:\/\/\/run\/rondo-pop-dc2\/docker\.sock/);
    expect(output).toMatch(/firewall on dc2/);
    expect(output).toMatch(/on-boarded the tango chain as NSD [\w-]+/);
    expect(output).toMatch(/\[\d+\/\d+\] compute client on dc\d … done/);
    expect(output).toMatch(/INSTANTIATE [\w-]+: COMPLETED/);
    expect(output).toContain('traffic crosses client -> firewall -> server in order: OK');
    expect(output).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/ui/);
    expect(output).toMatch(/TERMINATE [\w-]+: COMPLETED/);
    expect(output).toMatch(/docker ps -a --filter label=rondo\.ns=[\w-]+ \(dc1 and dc2 engines\): \(none\)/);
    expect(output).toContain('demo finished: nothing left behind');
    const nsId = /NS instance ([\w-]+)/.exec(output)?.[1] ?? '';
    const docker = new Docker();
    expect(await docker.listContainers({ all: true, filters: { label: [`rondo.ns=${nsId}`] } })).toEqual([]);
  });
});
