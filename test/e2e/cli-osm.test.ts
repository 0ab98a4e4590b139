import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI, runCli, startCliServer } from '../support/cli-server.js';
import type { CliRun, CliServer } from '../support/cli-server.js';

// An OSM user's session, typed as with osmclient, against `rondo serve` (the built CLI:
// `npm run build` first): validate the corpus's OSM packages, on-board them with
// vnfd-create / nsd-create, list them, ns-create on a VIM account, ns-list, ns-delete.
const OSM = resolve(import.meta.dirname, '../../../shared/corpus/osm');
if (!existsSync(OSM)) throw new Error(`the upstream corpus is missing: ${OSM}`);
const env = {
  ...process.env, DATABASE_URL: '', RONDO_URL: '', RONDO_LOG_LEVEL: 'info', RONDO_INSECURE_NO_AUTH: '1', RONDO_TOKEN: '', RONDO_API_KEY: '',
  RONDO_CONFIG_DIR: join(tmpdir(), `rondo-e2e-osm-config-${process.pid}`),
};
const rondo = (args: string[], url?: string): Promise<CliRun> => runCli(BUILT_CLI, [...args, ...(url ? ['--url', url] : [])], { env });
const ok = (r: CliRun, what: string): string => {
  expect(r.code, `${what}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
};

describe('osmclient-style commands against a real server', () => {
  let dir: string;
  let server: CliServer | undefined;
  let url = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-e2e-osm-'));
    server = await startCliServer(BUILT_CLI, { env, dataDir: join(dir, 'data') });
    url = server.url;
  }, 200_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('validates OSM package folders offline, an NS package with its VNF package beside it', async () => {
    const vnf = ok(await rondo(['package', 'validate', join(OSM, 'hackfest_multivdu_vnf')]), 'validate VNF folder');
    expect(vnf).toContain('valid sol006 package /hackfest_multivdu-vnf/1.0: 0 NSD(s), 1 VNFD(s), 3 files');
    const alone = await rondo(['package', 'validate', join(OSM, 'hackfest_multivdu_ns')]);
    expect(alone.code).toBe(1);
    expect(alone.stdout).toContain('hackfest_multivdu_ns/hackfest_multivdu_nsd.yaml /nsd/nsd/0/df/0/vnf-profile/0/vnfd-id: VNFD descriptor_id hackfest_multivdu-vnf of member "1" is neither in the package nor on-boarded');
    ok(await rondo(['package', 'validate', join(OSM, 'hackfest_multivdu_ns'), '--with', join(OSM, 'hackfest_multivdu_vnf')]), 'validate NS folder --with');
    // A broken reference, named by file and path.
    const broken = join(dir, 'broken', 'autoheal_vnf');
    cpSync(join(OSM, 'autoheal_vnf'), broken, { recursive: true });
    const f = join(broken, 'autoheal_vnfd.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('cpd: vdu-eth0-int', 'cpd: vdu-eth1-int'));
    const bad = await rondo(['package', 'validate', broken, '--json']);
    expect(bad.code).toBe(1);
    const issues = (JSON.parse(bad.stdout) as { issues: { file: string; path: string; message: string }[] }).issues;
    expect(issues).toContainEqual({ file: 'autoheal_vnf/autoheal_vnfd.yaml', path: '/vnfd/ext-cpd/0/int-cpd/cpd', message: expect.stringContaining('names int-cpd "vdu-eth1-int"') });
    expect(issues.some((i) => i.file === 'autoheal_vnf/autoheal_vnfd.yaml' && i.message.startsWith('checksum mismatch'))).toBe(true);
  });

  it('vnfd-create, nsd-create, *-list, ns-create --nsd_name --ns_name --vim_account, ns-list, ns-delete', { timeout: 300_000 }, async () => {
    // A folder (osmclient builds it, checksums.txt rewritten) and a built .tar.gz.
    const vnfId = ok(await rondo(['vnfd-create', join(OSM, 'hackfest_multivdu_vnf')], url), 'vnfd-create folder').trim();
    expect(vnfId).toMatch(/^[0-9a-f-]{36}$/);
    const knfTgz = join(dir, 'openldap_scale_knf.tar.gz');
    ok(await rondo(['package', 'build', join(OSM, 'openldap_scale_knf'), '-o', knfTgz]), 'package build OSM folder');
    ok(await rondo(['vnfpkg-create', knfTgz, '--json'], url), 'vnfpkg-create tar.gz');
    // The wrong kind is refused and leaves nothing behind.
    const wrong = await rondo(['vnfd-create', join(OSM, 'hackfest_multivdu_ns')], url);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining('422')]);
    const nsdId = ok(await rondo(['nsd-create', join(OSM, 'hackfest_multivdu_ns')], url), 'nsd-create folder').trim();
    ok(await rondo(['nsd-create', join(OSM, 'openldap_scale_ns')], url), 'nsd-create KNF NS');

    const vnfds = ok(await rondo(['vnfd-list'], url), 'vnfd-list');
    expect(vnfds).toMatch(/NFPKG NAME\s+ID/);
    expect(vnfds).toMatch(new RegExp(`hackfest_multivdu-vnf\\s+${vnfId}`));
    expect(vnfds).toContain('openldap_scale_knf');
    const vnfdsJson = JSON.parse(ok(await rondo(['vnfd-list', '--json'], url), 'vnfd-list --json')) as { id: string }[];
    expect(vnfdsJson).toHaveLength(2);
    const filtered = ok(await rondo(['vnfd-list', '--filter', 'name=openldap_scale_knf'], url), 'vnfd-list --filter');
    expect(filtered).not.toContain('hackfest_multivdu-vnf');
    const nsds = ok(await rondo(['nsd-list', '--long'], url), 'nsd-list');
    expect(nsds).toMatch(new RegExp(`hackfest_multivdu-ns\\s+${nsdId}\\s+hackfest_multivdu-ns`));
    const show = ok(await rondo(['nsd', 'show', nsdId], url), 'nsd show');
    expect(show).toMatch(/format:\s+sol006/);
    expect(show).toMatch(/1\s+hackfest_multivdu-vnf\s+mgmtVM\s+ubuntu20\.04 \(qcow2\)\s+1\s+1024 MiB\s+10 GiB/);
    expect(show).toMatch(/mgmtnet\s+yes\s+osm-ext\s+1:vnf-mgmt-ext/);

    ok(await rondo(['vim', 'add', 'osm-vim', '--type', 'memory'], url), 'vim add');
    const help = ok(await rondo(['ns-create', '--help']), 'ns-create --help');
    expect(help).toContain('The native Rondo command: rondo ns create');
    const unknown = await rondo(['ns-create', '--nsd_name', 'no-such-ns', '--ns_name', 'x', '--vim_account', 'osm-vim'], url);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('no on-boarded NSD named no-such-ns')]);

    // A Docker PoP runs containers: a VM image needs the PoP's image map.
    ok(await rondo(['vim', 'add', 'osm-docker', '--type', 'docker', '--no-check'], url), 'vim add docker');
    const unmapped = await rondo(['ns-create', '--nsd_name', 'hackfest_multivdu-ns', '--ns_name', 'on-docker', '--vim_account', 'osm-docker'], url);
    expect(unmapped.code).toBe(1);
    expect(unmapped.stderr).toContain('422 PLAN_IMAGE_UNMAPPED');
    expect(unmapped.stderr).toContain('needs VM image ubuntu20.04 (qcow2), which Docker PoP osm-docker cannot run');
    const mapped = ok(await rondo(['vim', 'update', 'osm-docker', '--image-map', 'ubuntu20.04=vnf/busybox:latest'], url), 'vim update --image-map');
    expect(mapped).toContain('image map: ubuntu20.04=vnf/busybox:latest');
    expect(ok(await rondo(['vim', 'show', 'osm-docker'], url), 'vim show')).toMatch(/image map:\s+ubuntu20\.04=vnf\/busybox:latest/);
    const knf = await rondo(['ns-create', '--nsd_name', 'openldap_scale_ns', '--ns_name', 'ldap', '--vim_account', 'osm-vim'], url);
    expect([knf.code, knf.stderr]).toEqual([1, expect.stringContaining('needs a Kubernetes PoP')]);

    const created = await rondo(['ns-create', '--nsd_name', 'hackfest_multivdu-ns', '--ns_name', 'osm-ns', '--vim_account', 'osm-vim', '--wait'], url);
    const nsId = ok(created, 'ns-create').trim().split('\n').pop() as string;
    expect(nsId).toMatch(/^[0-9a-f-]{36}$/);
    const list = ok(await rondo(['ns-list'], url), 'ns-list');
    expect(list).toMatch(new RegExp(`osm-ns\\s+${nsId}\\s+INSTANTIATED`));
    const nsJson = JSON.parse(ok(await rondo(['ns', 'show', nsId, '--json'], url), 'ns show')) as { vnfInstance: { memberId: string; popId: string }[] };
    expect(nsJson.vnfInstance.map((v) => [v.memberId, v.popId])).toEqual([['1', 'osm-vim']]);

    const deleted = ok(await rondo(['ns-delete', 'osm-ns'], url), 'ns-delete');
    expect(deleted).toContain(`deleted NS instance osm-ns (${nsId})`);
    expect(JSON.parse(ok(await rondo(['ns-list', '--json'], url), 'ns-list --json'))).toEqual([]);
    const missing = await rondo(['ns-delete', 'osm-ns'], url);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('no NS instance named osm-ns')]);
  });

  it("rondo policy list|set: the metrics package's scaling-policy as an auto-scale policy, overridden per instance", async () => {
    ok(await rondo(['vnfd-create', join(OSM, 'hackfest_basic_metrics_vnf')], url), 'vnfd-create metrics');
    const nsdId = ok(await rondo(['nsd-create', join(OSM, 'hackfest_basic_metrics_ns')], url), 'nsd-create metrics').trim();
    const nsId = (JSON.parse(ok(await rondo(['ns', 'create', '--nsd', nsdId, '--name', 'metrics', '--json'], url), 'ns create')) as { id: string }).id;
    const listed = ok(await rondo(['policy', 'list', nsId], url), 'policy list');
    expect(listed).toMatch(/auto-scale-vnf-cpu_util_above_threshold\s+AUTO_SCALE\s+vnf\s+on\s+vdu_autoscale: cpu_utilization out >60 in <10 for 1s, cooldown 5s\s+DESCRIPTOR/);
    expect(listed).toMatch(/auto-heal-vnf\s+AUTO_HEAL\s+vnf\s+off/);
    const set = JSON.parse(ok(await rondo(['policy', 'set', nsId, '--policy', 'auto-scale-vnf-cpu_util_above_threshold', '--scale-out', '75', '--cooldown', '30', '--json'], url), 'policy set'));
    expect(set).toMatchObject({ type: 'AUTO_SCALE', scaleOutThreshold: 75, scaleInThreshold: 10, cooldownSeconds: 30, source: 'OVERRIDE' });
    const wrong = await rondo(['policy', 'set', nsId, '--policy', 'auto-scale-vnf-cpu_util_above_threshold', '--max-attempts', '2'], url);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining('it has no maxAttempts')]);
    expect((await rondo(['policy', 'set', nsId, '--policy', 'auto-scale-vnf-cpu_util_above_threshold', '--scale-out', 'lots'], url)).code).toBe(2);
  });
});
