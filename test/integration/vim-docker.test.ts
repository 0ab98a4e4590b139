import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_NS, LABEL_POP } from '../../src/vim/index.js';
import type { ComputeSpec } from '../../src/vim/index.js';
import { createDockerVimDriver } from '../../src/vim/docker/docker-vim-driver.js';
import type { DockerVimDriver } from '../../src/vim/docker/docker-vim-driver.js';
import { createVimDriver } from '../../src/app/index.js';
import { expectVimError, runVimCompliance } from '../vim-compliance.js';

const IMAGE = 'vnf/busybox:latest';
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

/** Fails loudly (never skips) when the engine is missing; builds the VNF image if needed. */
async function ensureEngineAndImage(): Promise<void> {
  try {
    await docker.ping();
  } catch (e) {
    throw new Error(`Docker engine unreachable on /var/run/docker.sock; run scripts/ensure-docker.sh as root (${String(e)})`);
  }
  execFileSync('bash', [fileURLToPath(new URL('../../scripts/build-vnf-images.sh', import.meta.url))], { stdio: 'inherit' });
}

/** Removes every container and network of a test namespace, whatever the driver did. */
async function purge(ns: string): Promise<void> {
  const filters = { label: [`${LABEL_NS}=${ns}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true });
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove();
}

runVimCompliance('docker', async () => {
  await ensureEngineAndImage();
  const driver = createDockerVimDriver({ name: 'docker-test', endpoint: 'unix:///var/run/docker.sock', popId: 'dc-test' });
  // Label mode: a second PoP on the same engine.
  const other = createDockerVimDriver({ name: 'docker-test-b', endpoint: 'unix:///var/run/docker.sock', popId: 'dc-test-b' });
  return {
    driver,
    image: IMAGE,
    cleanup: async () => {
      await other.destroy();
    },
    kill: async (id) => {
      await docker.getContainer(id).kill();
    },
    otherPop: { popId: 'dc-test-b', driver: other },
  };
}, { crossPop: true });

describe('DockerVimDriver on a real engine', () => {
  const run = randomBytes(3).toString('hex');
  const ns = `test-${run}`;
  const third = Number.parseInt(run.slice(0, 2), 16);
  const o2 = 180 + (Number.parseInt(run.slice(2, 4), 16) % 19);
  let d: DockerVimDriver;
  const labels = (step: string): Record<string, string> => ({ [LABEL_NS]: ns, 'rondo.step': step });
  const spec = (name: string, network: string, address: string, extra: Partial<ComputeSpec> = {}): ComputeSpec => ({
    name: `dk-${run}-${name}`, image: IMAGE, vcpus: 1, cpuBw: 0.25, memoryMiB: 96, interfaces: [{ network, address }],
    env: { ROLE: name }, labels: labels(name), command: ['sleep', '3600'], ...extra,
  });

  beforeAll(async () => {
    await ensureEngineAndImage();
    d = createDockerVimDriver({ name: 'docker-test', endpoint: 'unix:///var/run/docker.sock', popId: 'dc-a' });
  });

  afterAll(async () => {
    await d?.destroy();
    await purge(ns);
    expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL_NS}=${ns}`] } })).toEqual([]);
  });

  it('runs the container with the CFS quota/period, memory limit, NET_ADMIN, init and ip_forward', async () => {
    const net = await d.createNetwork({ name: `dk-${run}-lim`, subnet: `10.${o2}.${third}.0/24`, labels: labels('lim') });
    const c = await d.createCompute(spec('lim', net.name, `10.${o2}.${third}.5`));
    const hc = (await docker.getContainer(c.id).inspect()).HostConfig;
    expect({ period: hc.CpuPeriod, quota: hc.CpuQuota, memory: hc.Memory, init: hc.Init }).toEqual({ period: 1_000_000, quota: 250_000, memory: 96 * 1024 * 1024, init: true });
    expect(hc.CapAdd).toContain('NET_ADMIN');
    expect(c.labels[LABEL_POP]).toBe('dc-a');
    expect((await d.exec(c.id, ['cat', '/proc/sys/net/ipv4/ip_forward'])).stdout.trim()).toBe('1');
    expect(await d.exec(c.id, ['sh', '-c', 'echo $ROLE; echo oops >&2'])).toMatchObject({ stdout: 'lim\n', stderr: 'oops\n' });
    // NET_ADMIN really works: a route can be added.
    expect((await d.exec(c.id, ['ip', 'route', 'add', '10.123.0.0/16', 'via', `10.${o2}.${third}.1`])).exitCode).toBe(0);
    // execAll: several commands in one round trip, in order, stopping at the first that fails and naming it.
    const all = await d.execAll(c.id, [['ip', 'route', 'replace', '10.124.0.0/16', 'via', `10.${o2}.${third}.1`], ['sh', '-c', "echo 'it''s' > /tmp/q"], ['cat', '/tmp/q']]);
    expect(all).toMatchObject({ exitCode: 0, stdout: "its\n" });
    expect((await d.exec(c.id, ['ip', 'route', 'show', '10.124.0.0/16'])).stdout).toContain(`via 10.${o2}.${third}.1`);
    const failed = await d.execAll(c.id, [['true'], ['ls', '/nonexistent'], ['touch', '/tmp/never']]);
    expect([failed.exitCode === 0, failed.failedCommand, failed.stderr]).toEqual([false, ['ls', '/nonexistent'], expect.stringContaining('nonexistent')]);
    expect(failed.stderr).not.toContain('rondo-exec-failed');
    expect((await d.exec(c.id, ['ls', '/tmp/never'])).exitCode).not.toBe(0);
  });

  it('names interfaces in spec order (eth0..eth3, and custom names) whatever order Docker attaches them', async () => {
    const nets = await Promise.all([0, 1, 2, 3].map((i) => d.createNetwork({ name: `dk-${run}-if${i}`, subnet: `10.${o2}.${(third + 10 + i) % 256}.0/24`, labels: labels(`if${i}`) })));
    for (let round = 0; round < 3; round++) {
      const interfaces = nets.map((n, i) => ({ network: n.name, address: `10.${o2}.${(third + 10 + i) % 256}.${20 + round}` }));
      const c = await d.createCompute({ ...spec(`if${round}`, nets[0]?.name ?? '', ''), interfaces });
      const inside = (await d.exec(c.id, ['ip', '-o', '-4', 'addr', 'show'])).stdout;
      for (const [i, itf] of interfaces.entries()) expect(inside).toMatch(new RegExp(`eth${i}\\s+inet ${itf.address.replaceAll('.', '\\.')}/24`));
      expect(c.interfaces?.map((i) => i.ifName)).toEqual(['eth0', 'eth1', 'eth2', 'eth3']);
      expect((await d.status(c.id)).interfaces?.map((i) => i.address)).toEqual(interfaces.map((i) => i.address));
    }
    const named = await d.createCompute({
      ...spec('named', '', ''),
      interfaces: [{ network: nets[0]?.name ?? '', address: `10.${o2}.${(third + 10) % 256}.30`, ifName: 'mgmt' }, { network: nets[1]?.name ?? '', address: `10.${o2}.${(third + 11) % 256}.30`, ifName: 'input' }],
    });
    const inside = (await d.exec(named.id, ['ip', '-o', 'link', 'show'])).stdout;
    expect(inside).toMatch(/\bmgmt[@:]/);
    expect(inside).toMatch(/\binput[@:]/);

    // Named later: the create leaves the names to the caller's first execAll, which makes
    // them right before its commands (a swap and custom names), and is a no-op the second time.
    const addr = (i: number): string => `10.${o2}.${(third + 10 + i) % 256}.40`;
    const later = await d.createCompute({
      ...spec('later', '', ''), nameInterfacesLater: true,
      interfaces: [{ network: nets[0]?.name ?? '', address: addr(0), ifName: 'mgmt' }, { network: nets[1]?.name ?? '', address: addr(1), ifName: 'eth2' }, { network: nets[2]?.name ?? '', address: addr(2), ifName: 'eth1' }],
    });
    expect(later.interfaces?.map((i) => i.ifName)).toEqual(['mgmt', 'eth2', 'eth1']);
    expect((await d.exec(later.id, ['ip', '-o', 'link', 'show'])).stdout).not.toMatch(/\bmgmt[@:]/);
    const wanted = [{ address: addr(0), ifName: 'mgmt' }, { address: addr(1), ifName: 'eth2' }, { address: addr(2), ifName: 'eth1' }];
    for (let round = 0; round < 2; round++) {
      const r = await d.execAll(later.id, [['ip', 'route', 'replace', '10.125.0.0/16', 'via', `10.${o2}.${(third + 12) % 256}.1`, 'dev', 'eth1']], undefined, { interfaces: wanted });
      expect([r.exitCode, r.stderr]).toEqual([0, '']);
      const listing = (await d.exec(later.id, ['ip', '-o', '-4', 'addr', 'show'])).stdout;
      for (const w of wanted) expect(listing).toMatch(new RegExp(`${w.ifName}\\s+inet ${w.address.replaceAll('.', '\\.')}/24`));
      expect((await d.exec(later.id, ['ip', 'route', 'show', '10.125.0.0/16'])).stdout).toContain('dev eth1');
    }
    // An address the compute does not hold: nothing runs, and the error says why.
    const e = await expectVimError(d.execAll(later.id, [['touch', '/tmp/never']], undefined, { interfaces: [{ address: `10.${o2}.${(third + 13) % 256}.9`, ifName: 'eth9' }] }), 'UNEXPECTED_RESPONSE');
    expect(e.message).toMatch(/could not name the interfaces .*is on no interface/);
    expect((await d.exec(later.id, ['ls', '/tmp/never'])).exitCode).not.toBe(0);
  });

  // How fast (a kill, not Docker's 10 s stop grace) is measured by bench/limits.ts --docker.
  it('deletes a container whose PID 1 ignores SIGTERM', async () => {
    const net = await d.createNetwork({ name: `dk-${run}-term`, subnet: `10.${o2}.${(third + 20) % 256}.0/24`, labels: labels('term') });
    const c = await d.createCompute(spec('term', net.name, `10.${o2}.${(third + 20) % 256}.5`, { command: ['sh', '-c', "trap '' TERM; while true; do sleep 1; done"] }));
    await d.deleteCompute(c.id);
    expect((await d.status(c.id)).state).toBe('DELETED');
    await d.deleteCompute(c.id);
    // With a grace period on an already stopped compute (Docker answers 304).
    const stopped = await d.createCompute(spec('term2', net.name, `10.${o2}.${(third + 20) % 256}.6`));
    await docker.getContainer(stopped.id).kill();
    await d.deleteCompute(stopped.id, { graceSeconds: 1 });
    expect((await d.status(stopped.id)).state).toBe('DELETED');
  });

  it('gives CONNECTION (retryable) for an unreachable engine, on the tcp endpoint', async () => {
    const dead = createDockerVimDriver({ name: 'nowhere', endpoint: 'tcp://127.0.0.1:1' });
    const e = await expectVimError(dead.checkConnectivity(), 'CONNECTION');
    expect(e.retryable).toBe(true);
    await expectVimError(dead.createNetwork({ name: 'x', subnet: '10.0.0.0/24', labels: {} }), 'CONNECTION');
  });

  it('keeps PoPs sharing the engine apart by label', async () => {
    const other = createDockerVimDriver({ name: 'docker-b', popId: 'dc-b' });
    await other.createNetwork({ name: `dk-${run}-popb`, subnet: `10.${o2}.${(third + 30) % 256}.0/24`, labels: labels('popb') });
    expect((await d.listByLabel({ [LABEL_NS]: ns })).map((r) => r.name)).not.toContain(`dk-${run}-popb`);
    expect((await other.listByLabel({ [LABEL_NS]: ns })).map((r) => r.name)).toEqual([`dk-${run}-popb`]);
  });

  it('is built by createVimDriver for docker accounts; an openstack account without credentials is refused with AUTH', async () => {
    const account = { id: 'dc9', name: 'dc9', endpoint: 'unix:///var/run/docker.sock', capacity: null, config: {}, tenant: 't', createdAt: '' };
    const driver = createVimDriver({ ...account, type: 'docker' });
    expect((await driver.checkConnectivity()).version).toMatch(/^\d+\.\d+/);
    expect(() => createVimDriver({ ...account, type: 'openstack' })).toThrow(expect.objectContaining({ kind: 'AUTH' }));
  });
});
