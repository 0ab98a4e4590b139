/**
 * `rondo alarm list|show|ack` on a real fault: the tango chain instantiated on a Docker PoP
 * by a real `bin/rondo serve` (run `npm run build` first), one VNF container killed with
 * `docker kill`, the alarm listed, shown, acknowledged, and streamed by `rondo events`.
 * Fails — never skips — without Docker or the VNF images.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI, ROOT, runCli, startCliServer } from '../support/cli-server.js';
import type { CliRun, CliServer } from '../support/cli-server.js';

const BIN = BUILT_CLI[0]!;
/** A PoP name of its own: its containers and networks carry `rondo.pop=<it>`. */
const POP = 'cli-alarms';

type Run = CliRun;

describe('rondo alarm on a killed VNF container (Docker PoP)', () => {
  const docker = new Docker();
  let dir: string;
  let env: NodeJS.ProcessEnv = {};
  let server: CliServer | undefined;
  let url = '';
  let nsId: string | undefined;

  /** Runs `bin/rondo …` against the server; never rejects. */
  const rondo = (args: string[]): Promise<Run> => runCli(BUILT_CLI, [...args, '--url', url], { env, timeoutMs: 300_000 });

  const until = async <T,>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> => {
    const end = Date.now() + ms;
    let v = await read();
    while (!ok(v)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 250));
      v = await read();
    }
    return v;
  };

  beforeAll(async () => {
    await docker.ping(); // fails loudly without Docker
    for (const image of ['vnf/busybox:latest', 'vnf/sap:latest']) await docker.getImage(image).inspect(); // built by scripts/build-vnf-images.sh
    dir = await mkdtemp(join(tmpdir(), 'rondo-cli-alarms-'));
    env = {
      ...process.env,
      DATABASE_URL: '',
      RONDO_URL: '',
      RONDO_TOKEN: '',
      RONDO_API_KEY: '',
      RONDO_CONFIG_DIR: join(dir, 'config'),
      RONDO_LOG_LEVEL: 'info',
      RONDO_INSECURE_NO_AUTH: '1',
      RONDO_AUTO_POPS: '0',
    };
    server = await startCliServer(BUILT_CLI, { env, dataDir: join(dir, 'data') });
    url = server.url;
  }, 200_000);

  afterAll(async () => {
    await server?.stop();
    // Whatever a failed run left behind on the engine.
    if (nsId) {
      const label = [`rondo.ns=${nsId}`];
      for (const c of await docker.listContainers({ all: true, filters: { label } })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      for (const n of await docker.listNetworks({ filters: { label } })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('kill a VNF container: the alarm is listed, shown, streamed and acknowledged once; the NS terminates clean', { timeout: 600_000 }, async () => {
    const added = await rondo(['vim', 'add', POP, '--type', 'docker']);
    expect(added.code, added.stderr).toBe(0);
    const pkg = join(dir, 'chain.tgo');
    expect((await rondo(['package', 'build', 'examples/tango-chain', '-o', pkg])).code).toBe(0);
    expect((await rondo(['package', 'onboard', pkg])).code).toBe(0);
    const nsdId = (JSON.parse((await rondo(['nsd', 'list', '--json'])).stdout) as { id: string }[])[0]?.id ?? '';
    const created = await rondo(['ns', 'create', '--nsd', nsdId, '--name', 'cli-alarms']);
    nsId = /created NS instance ([\w-]+)/.exec(created.stdout)?.[1];
    expect(nsId, created.stderr).toBeDefined();
    const ns = nsId as string;
    const t0 = Date.now();
    const inst = await rondo(['ns', 'instantiate', ns, '--wait']);
    // Another Docker test may hold an overlapping subnet at the same moment: the error says so.
    expect(inst.code, `${inst.stdout}\n${inst.stderr}`).toBe(0);
    console.log(`instantiated the chain on Docker in ${Date.now() - t0} ms`);

    // Stream the NS's VNF and alarm events while the fault happens.
    const follow = spawn(process.execPath, [BIN, 'events', '--follow', '--ns', ns, '--type', 'vnf.down,alarm.', '--url', url], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let streamed = '';
    follow.stdout.on('data', (b: Buffer) => (streamed += b.toString()));
    const followExit = new Promise<number | null>((r) => follow.once('exit', (c) => r(c)));

    const [victim] = await docker.listContainers({ filters: { label: [`rondo.ns=${ns}`, 'rondo.vnf=firewall'] } });
    expect(victim, 'the firewall container').toBeDefined();
    const killedAt = Date.now();
    await docker.getContainer(victim!.Id).kill();

    interface Alarm { id: string; managedObjectId: string; ackState: string; perceivedSeverity: string; probableCause: string; faultDetails: string[] }
    const listAlarms = async () => {
      const r = await rondo(['alarm', 'list', '--ns', ns, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Alarm[];
    };
    const [alarm] = await until('the VNF_DOWN alarm', listAlarms, (l) => l.some((a) => a.probableCause === 'VNF_DOWN'));
    console.log(`alarm listed by the CLI ${Date.now() - killedAt} ms after docker kill`);
    expect(alarm).toMatchObject({ managedObjectId: ns, ackState: 'UNACKNOWLEDGED', perceivedSeverity: 'CRITICAL', probableCause: 'VNF_DOWN' });
    expect(alarm!.faultDetails).toContain('vnfInstanceId=firewall');
    const id = alarm!.id;

    const table = await rondo(['alarm', 'list', '--severity', 'critical']);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+${ns.slice(0, 8)}\\s+firewall\\s+CRITICAL\\s+UNACKNOWLEDGED\\s+\\S+Z\\s+VNF_DOWN$`, 'm'));
    expect((await rondo(['alarm', 'list', '--severity', 'minor', '--json'])).stdout.trim()).toBe('[]');
    expect((JSON.parse((await rondo(['alarm', 'list', '--ns', ns, '--active', '--json'])).stdout) as Alarm[]).map((a) => a.id)).toContain(id);
    const shown = await rondo(['alarm', 'show', id]);
    expect(shown.stdout).toMatch(/severity:\s+CRITICAL/);
    expect(shown.stdout).toMatch(new RegExp(`resource:\\s+COMPUTE ${victim!.Id} on PoP ${POP}`));

    const ack = await rondo(['alarm', 'ack', id]);
    expect([ack.code, ack.stdout.trim()]).toEqual([0, `alarm ${id} acknowledged`]);
    expect(JSON.parse((await rondo(['alarm', 'show', id, '--json'])).stdout)).toMatchObject({ id, ackState: 'ACKNOWLEDGED' });
    expect((await rondo(['alarm', 'list', '--ns', ns, '--ack', 'unacknowledged', '--json'])).stdout.trim()).toBe('[]');
    const again = await rondo(['alarm', 'ack', id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('409');
    expect(again.stderr).toContain('already acknowledged');
    expect((await rondo(['alarm', 'ack', 'no-such-alarm'])).code).toBe(1);

    // The stream carried the death and the alarm, with the NS of each.
    await until('vnf.down and alarm.raised on the stream', async () => streamed, (s) => /vnf\.down\s/.test(s) && /alarm\.raised\s/.test(s));
    expect(streamed).toMatch(new RegExp(`vnf\\.down\\s+${ns.slice(0, 8)}\\s+firewall\\s+down\\s+pop ${POP}`));
    expect(streamed).toMatch(new RegExp(`alarm\\.raised\\s+${ns.slice(0, 8)}\\s+firewall\\s+CRITICAL\\s+VNF_DOWN alarm ${id}`));
    follow.kill('SIGINT');
    expect(await followExit).toBe(0);

    const term = await rondo(['ns', 'terminate', ns, '--wait']);
    expect(term.code, `${term.stdout}\n${term.stderr}`).toBe(0);
    expect((await rondo(['ns', 'delete', ns])).code).toBe(0);
    const label = [`rondo.ns=${ns}`];
    expect(await docker.listContainers({ all: true, filters: { label } })).toEqual([]);
    expect(await docker.listNetworks({ filters: { label } })).toEqual([]);
    expect((await rondo(['vim', 'remove', POP])).code).toBe(0);
  });
});
