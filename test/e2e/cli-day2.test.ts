/**
 * `rondo ns heal`, `rondo ns operate` and `rondo ns scale` against a real `bin/rondo serve` (run `npm run
 * build` first) with a memory PoP: progress lines with `--wait`, `--json`, usage errors
 * (exit 2) and refused requests (exit 1) that say what to do.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI, runCli, startCliServer } from '../support/cli-server.js';
import type { CliRun, CliServer } from '../support/cli-server.js';

describe('rondo ns heal / ns operate against a real server', () => {
  let dir: string;
  let server: CliServer | undefined;
  let env: NodeJS.ProcessEnv;
  const rondo = (args: string[], url: string | null = server?.url ?? null): Promise<CliRun> => runCli(BUILT_CLI, [...args, ...(url ? ['--url', url] : [])], { env });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-cli-day2-'));
    env = {
      ...process.env, DATABASE_URL: '', RONDO_URL: '', RONDO_TOKEN: '', RONDO_API_KEY: '', RONDO_CONFIG_DIR: join(dir, 'config'),
      RONDO_LOG_LEVEL: 'info', RONDO_INSECURE_NO_AUTH: '1', RONDO_AUTO_POPS: '0',
    };
    server = await startCliServer(BUILT_CLI, { env, dataDir: join(dir, 'data') });
  }, 200_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('heals and operates the firewall of the example chain, with progress and --json', { timeout: 300_000 }, async () => {
    const pkg = join(dir, 'chain.tgo');
    expect((await rondo(['package', 'build', 'examples/tango-chain', '-o', pkg], null)).code).toBe(0);
    const [added, onboarded] = await Promise.all([rondo(['vim', 'add', 'mem1', '--type', 'memory']), rondo(['package', 'onboard', pkg])]);
    expect(added.code, added.stderr).toBe(0);
    expect(onboarded.code, onboarded.stderr).toBe(0);
    const nsdId = (JSON.parse((await rondo(['nsd', 'list', '--json'])).stdout) as { id: string }[])[0]?.id ?? '';
    const nsId = (JSON.parse((await rondo(['ns', 'create', '--nsd', nsdId, '--name', 'day2', '--json'])).stdout) as { id: string }).id;
    // --flavour names an NS flavour of the NSD; a 5GTANGO NSD has one, `default` (the one taken without --flavour).
    const wrong = await rondo(['ns', 'instantiate', nsId, '--flavour', 'gold']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('NS_FLAVOUR_UNKNOWN');
    const inst = await rondo(['ns', 'instantiate', nsId, '--wait']);
    expect(inst.code, inst.stderr).toBe(0);
    expect((JSON.parse((await rondo(['ns', 'show', nsId, '--json'])).stdout) as { flavourId: string }).flavourId).toBe('default');

    // Nothing is sick: the heal completes with nothing to do, and says so.
    const idle = await rondo(['ns', 'heal', nsId, '--vnf', 'firewall', '--cause', 'checking', '--wait']);
    expect(idle.code, idle.stderr).toBe(0);
    expect(idle.stdout).toMatch(/HEAL [\w-]+: COMPLETED/);
    expect(idle.stdout).toContain('nothing to heal: every container runs (--all re-creates them anyway)');
    // --all re-creates the running firewall: stop commands, compute, routes, start commands, one line each.
    const all = await rondo(['ns', 'heal', nsId, '--vnf', 'firewall', '--all', '--wait']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/\[1\/4\] stop firewall on mem1 … done\n\[2\/4\] compute firewall on mem1 … done\n\[3\/4\] route firewall on mem1 … done\n\[4\/4\] start firewall on mem1 … done\nHEAL [\w-]+: COMPLETED/);
    const unknown = await rondo(['ns', 'heal', nsId, '--vnf', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`NS ${nsId} has no VNF nope`);
    expect(unknown.stderr).toMatch(/client, firewall, server/);
    const noVnfCause = await rondo(['ns', 'heal', nsId, '--cause', 'x']);
    expect(noVnfCause.code).toBe(2);

    // Stop with --json: the rested operation as JSON; the VNF shows STOPPED.
    const stop = await rondo(['ns', 'operate', nsId, '--vnf', 'firewall', '--stop', '--graceful-timeout', '3', '--wait', '--json']);
    expect(stop.code, stop.stderr).toBe(0);
    const stopped = JSON.parse(stop.stdout) as { lcmOperationType: string; operationState: string; operationParams: { operateVnfData: { stopType: string; gracefulStopTimeout: number }[] }; steps: { kind: string }[] };
    expect(stopped).toMatchObject({ lcmOperationType: 'UPDATE', operationState: 'COMPLETED', operationParams: { updateType: 'OPERATE_VNF', operateVnfData: [{ changeStateTo: 'STOPPED', stopType: 'GRACEFUL', gracefulStopTimeout: 3 }] } });
    expect(stopped.steps.map((s) => s.kind)).toEqual(['stop', 'compute']);
    expect((await rondo(['ns', 'show', nsId])).stdout).toMatch(/firewall\s+vnf\s+mem1\s+STOPPED/);
    // Refused by the server (exit 1), with its reason.
    const again = await rondo(['ns', 'operate', nsId, '--vnf', 'firewall', '--stop']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('firewall is already STOPPED');
    const healStopped = await rondo(['ns', 'heal', nsId, '--vnf', 'firewall']);
    expect(healStopped.code).toBe(1);
    expect(healStopped.stderr).toContain('start it instead of healing');

    // Start, without --wait: the op id, then followed with `op watch`.
    const start = await rondo(['ns', 'operate', nsId, '--vnf', 'firewall', '--start', '--json']);
    expect(start.code, start.stderr).toBe(0);
    const { opId } = JSON.parse(start.stdout) as { opId: string };
    const watched = await rondo(['op', 'watch', opId]);
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toMatch(/compute firewall on mem1 … done\n\[2\/3\] route firewall on mem1 … done\n\[3\/3\] start firewall on mem1 … done\nUPDATE [\w-]+: COMPLETED/);
    expect((await rondo(['ns', 'show', nsId])).stdout).toMatch(/firewall\s+vnf\s+mem1\s+STARTED/);

    // Usage mistakes: exit 2 before any request.
    expect((await rondo(['ns', 'operate', nsId, '--vnf', 'firewall'])).code).toBe(2);
    expect((await rondo(['ns', 'operate', nsId, '--vnf', 'firewall', '--start', '--stop'])).code).toBe(2);
    expect((await rondo(['ns', 'operate', nsId, '--vnf', 'firewall', '--start', '--forceful'])).code).toBe(2);
    expect((await rondo(['ns', 'operate', nsId, '--stop'])).code).toBe(2);
    expect((await rondo(['ns', 'operate', nsId, '--vnf', 'firewall', '--stop', '--graceful-timeout', 'soon'])).code).toBe(2);

    // The whole NS, RESET: every container re-created.
    const reset = await rondo(['ns', 'heal', nsId, '--all', '--wait', '--json']);
    expect(reset.code, reset.stderr).toBe(0);
    expect((JSON.parse(reset.stdout) as { steps: { kind: string }[] }).steps.filter((s) => s.kind === 'compute')).toHaveLength(6);

    // Scale the firewall out (the example's VDU allows 1..3 instances: aspect vdu01, levels 0..2), with progress.
    const scaled = await rondo(['ns', 'scale', nsId, '--vnf', 'firewall', '--aspect', 'vdu01', '--out', '--steps', '2', '--wait']);
    expect(scaled.code, scaled.stderr).toBe(0);
    expect(scaled.stdout).toMatch(/\[1\/\d+\] compute firewall-vdu01-1 on mem1 … done\n/);
    expect(scaled.stdout).toMatch(/route client on mem1 … done\n.*\nSCALE [\w-]+: COMPLETED/s);
    expect((await rondo(['ns', 'show', nsId])).stdout).toMatch(/firewall\s+vnf\s+mem1\s+STARTED\s+\S+,\S+,\S+\s/);
    const past = await rondo(['ns', 'scale', nsId, '--vnf', 'firewall', '--aspect', 'vdu01', '--out']);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('past its maximum level 2');
    expect((await rondo(['ns', 'scale', nsId, '--vnf', 'firewall', '--aspect', 'vdu01'])).code).toBe(2);
    // SCALE_NS: this NSD declares no NS scaling aspect, and the server says which there are (none).
    const nsAspect = await rondo(['ns', 'scale', nsId, '--ns-aspect', 'bigger', '--out']);
    expect([nsAspect.code, nsAspect.stderr]).toEqual([1, expect.stringContaining('SCALE_ASPECT_UNKNOWN')]);
    expect((await rondo(['ns', 'scale', nsId, '--ns-level', 'big', '--out'])).code).toBe(2);
    expect((await rondo(['ns', 'scale', nsId, '--vnf', 'firewall', '--ns-aspect', 'bigger', '--out'])).code).toBe(2);
    // REMOVE_VNF / ADD_VNF: a 5GTANGO member may not go (no minimum of 0), and a running one cannot be added again.
    const removed = await rondo(['ns', 'remove-vnf', nsId, '--vnf', 'firewall']);
    expect([removed.code, removed.stderr]).toEqual([1, expect.stringContaining('VNF_NOT_REMOVABLE')]);
    const readded = await rondo(['ns', 'add-vnf', nsId, '--profile', 'firewall']);
    expect([readded.code, readded.stderr]).toEqual([1, expect.stringContaining('VNF_STATE_CONFLICT')]);
    expect((await rondo(['ns', 'remove-vnf', nsId])).code).toBe(2);
    const shrunk = await rondo(['ns', 'scale', nsId, '--vnf', 'firewall', '--aspect', 'vdu01', '--in', '--steps', '2', '--wait', '--json']);
    expect(shrunk.code, shrunk.stderr).toBe(0);
    const inOp = JSON.parse(shrunk.stdout) as { lcmOperationType: string; operationState: string; steps: { kind: string }[] };
    expect(inOp).toMatchObject({ lcmOperationType: 'SCALE', operationState: 'COMPLETED' });
    expect(inOp.steps.map((s) => s.kind)).toEqual(['route', 'route', 'stop', 'stop', 'compute', 'compute']);
    const shown = JSON.parse((await rondo(['ns', 'show', nsId, '--json'])).stdout) as { vnfInstance: { memberId: string; instantiatedVnfInfo: { scaleStatus: unknown; vnfcResourceInfo: unknown[] } }[] };
    expect(shown.vnfInstance.find((v) => v.memberId === 'firewall')?.instantiatedVnfInfo).toMatchObject({ scaleStatus: [{ aspectId: 'vdu01', scaleLevel: 0 }], vnfcResourceInfo: [{ vduId: 'vdu01' }] });
    expect((await rondo(['ns', 'terminate', nsId, '--wait'])).code).toBe(0);
  });
});
