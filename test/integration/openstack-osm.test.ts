/**
 * An OSM NS with two VNFs and a management network on the real CI OpenStack through the
 * Heat path, created as an osmclient user would (`rondo ns-create --nsd_name … --ns_name …
 * --vim_account …` through the built CLI: `npm run build` first): the corpus's hackfest_multivdu VNF (two VDUs on an internal link, management
 * and data CPs) and hackfest_basic_metrics VNF (one VDU with a cloud-init file), both on
 * mgmtnet (the NS's management network), the first also on datanet. The OSM image
 * `ubuntu20.04` is mapped through the PoP's image map onto a tiny Glance image. Checked in
 * OpenStack itself: stacks, ACTIVE servers, each server's ports on the right Neutron
 * networks with the addresses the NS instance shows, the cloud-init as the server's user
 * data; then nothing of the NS left in Heat, Nova or Neutron. Fails loudly when OpenStack
 * is not up (run scripts/ensure-openstack.sh).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RondoApp } from '../../src/api/app.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import { networkName, nsShort, stackName } from '../../src/lifecycle/index.js';
import { systemClock } from '../../src/model/index.js';
import { packFolderTarGz } from '../../src/packages/index.js';
import type { Store } from '../../src/store/index.js';
import { glance, heat, neutron, nova } from '../../src/vim/openstack/index.js';
import type { KeystoneSession } from '../../src/vim/openstack/index.js';
import { BUILT_CLI, runCli } from '../support/cli-server.js';
import type { CliRun } from '../support/cli-server.js';
import { openTestStore } from '../support/store.js';
import { adminCredentials, adminSession, runId, uploadTestImage } from './openstack-support.js';

const OSM = resolve(import.meta.dirname, '../../../shared/corpus/osm');
const run = runId();
const IMAGE = `rondo-osm-${run}`;

const NSD = `nsd:
  nsd:
  - id: osm-os-two-vnf-ns
    name: osm-os-two-vnf-ns
    version: '1.0'
    vnfd-id: [hackfest_multivdu-vnf, hackfest_basic_metrics-vnf]
    virtual-link-desc:
    - id: mgmtnet
      mgmt-network: true
    - id: datanet
    df:
    - id: default-df
      vnf-profile:
      - id: multi
        vnfd-id: hackfest_multivdu-vnf
        virtual-link-connectivity:
        - virtual-link-profile-id: mgmtnet
          constituent-cpd-id: [{constituent-base-element-id: multi, constituent-cpd-id: vnf-mgmt-ext}]
        - virtual-link-profile-id: datanet
          constituent-cpd-id: [{constituent-base-element-id: multi, constituent-cpd-id: vnf-data-ext}]
      - id: metrics
        vnfd-id: hackfest_basic_metrics-vnf
        virtual-link-connectivity:
        - virtual-link-profile-id: mgmtnet
          constituent-cpd-id: [{constituent-base-element-id: metrics, constituent-cpd-id: vnf-cp0-ext}]
`;

interface NsView {
  nsState: string;
  vnfInstance: { memberId: string; vimId: string; interfaces: { cp: string; linkId: string; address: string }[] }[];
}

describe('an OSM NS of two VNFs on OpenStack (Heat)', () => {
  let api: KeystoneSession;
  let dir: string;
  let store: Store;
  let c: Composition;
  let app: RondoApp;
  let imageId: string | undefined;
  let nsId: string | undefined;
  const pop = `os-osm-${run}`;
  let url = '';
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, DATABASE_URL: '', RONDO_URL: '', RONDO_INSECURE_NO_AUTH: '1', RONDO_TOKEN: '', RONDO_API_KEY: '', RONDO_CONFIG_DIR: join(dir, 'cli') });
  const rondo = (args: string[]): Promise<CliRun> => runCli(BUILT_CLI, [...args, '--url', url], { env: env(), timeoutMs: 450_000 });
  const ok = (r: CliRun, what: string): string => {
    expect(r.code, `${what}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };

  beforeAll(async () => {
    api = await adminSession('openstack-osm-it');
    imageId = (await uploadTestImage(api, IMAGE, [`rondo-it-${run}`])).id;
    dir = await mkdtemp(join(tmpdir(), 'rondo-osm-os-'));
    await packFolderTarGz(join(OSM, 'hackfest_multivdu_vnf'), join(dir, 'multi.tar.gz'));
    await packFolderTarGz(join(OSM, 'hackfest_basic_metrics_vnf'), join(dir, 'metrics.tar.gz'));
    await mkdir(join(dir, 'osm_os_ns'));
    await writeFile(join(dir, 'osm_os_ns', 'osm_os_nsd.yaml'), NSD);
    await packFolderTarGz(join(dir, 'osm_os_ns'), join(dir, 'ns.tar.gz'));

    const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, {
      dataDir: join(dir, 'data'), logLevel: (process.env.RONDO_TEST_LOG as 'info' | undefined) ?? 'silent', host: '127.0.0.1', port: 0,
      stepDeadlineSeconds: 300, opDeadlineSeconds: 600, workerConcurrency: 4,
    });
    store = await openTestStore('pglite', 'openstack-osm');
    // Random ids: OpenStack resource names derive from the NS id, and other runs share this OpenStack.
    c = await compose({ config, store, clock: systemClock, ids: { next: () => randomUUID() }, env: { RONDO_SECRET_KEY: 'ef'.repeat(32) }, workerOwner: `osm-os-${run}`, workerPollMs: 250 });
    app = c.app as RondoApp;
    // The worker only: no watchers or reconciliation on the shared OpenStack.
    await c.start({ worker: true, reconciler: false, monitoring: false });
    url = await c.listen();
  }, 120_000);

  afterAll(async () => {
    // A run that failed half-way leaves its NS up: terminate it before looking for leftovers.
    if (nsId && (await c?.services.lifecycle.listVnfs(nsId).catch(() => []))?.length) {
      await c.services.lifecycle.waitForOp((await c.services.lifecycle.terminate(nsId)).id, { timeoutMs: 300_000 }).catch(() => undefined);
    }
    await c?.close();
    await store?.close();
    if (imageId) await glance.deleteImage(api, imageId);
    if (dir) await rm(dir, { recursive: true, force: true });
    if (nsId) await expectNoLeftovers(api, nsId, []);
  }, 320_000);

  it('instantiates with ACTIVE servers on the NS networks and addresses in the NS instance, cloud-init as user data; termination leaves nothing', { timeout: 720_000 }, async () => {
    const inject = app.inject.bind(app);
    const upload = async (create: string, content: string, file: string): Promise<string> => {
      const id = (await inject({ method: 'POST', url: create, payload: {} })).json().id as string;
      const r = await inject({ method: 'PUT', url: `${create}/${id}/${content}`, payload: await readFile(join(dir, file)), headers: { 'content-type': 'application/gzip' } });
      expect(r.statusCode, r.body).toBe(202);
      return id;
    };
    await upload('/vnfpkgm/v1/vnf_packages', 'package_content', 'multi.tar.gz');
    await upload('/vnfpkgm/v1/vnf_packages', 'package_content', 'metrics.tar.gz');
    await upload('/nsd/v1/ns_descriptors', 'nsd_content', 'ns.tar.gz');
    const creds = adminCredentials();
    const added = await inject({
      method: 'POST', url: '/admin/v1/vims',
      payload: { name: pop, type: 'openstack', endpoint: creds.authUrl, credentials: { username: creds.username, password: creds.password, projectName: creds.projectName, userDomainName: creds.userDomain, projectDomainName: creds.projectDomain } },
    });
    expect(added.statusCode, added.body).toBe(201);
    const vimId = added.json().id as string;
    // OSM names the VM image ubuntu20.04; this PoP boots the tiny Glance image for it.
    expect(ok(await rondo(['vim', 'update', vimId, '--image-map', `ubuntu20.04=${IMAGE}`]), 'vim update')).toContain(`image map: ubuntu20.04=${IMAGE}`);

    // As an osmclient user types it (the built CLI against this Rondo), waiting for the instantiation.
    const createRun = await rondo(['ns-create', '--nsd_name', 'osm-os-two-vnf-ns', '--ns_name', `osm-os-${run}`, '--vim_account', vimId, '--wait', '--timeout', '420']);
    // Known before judging the run, so that afterAll cleans up after a failed one.
    nsId = ((await inject({ method: 'GET', url: '/nslcm/v1/ns_instances' })).json() as { id: string }[])[0]?.id;
    const created = ok(createRun, 'ns-create');
    expect(created).toMatch(/INSTANTIATE \S+: COMPLETED/);
    const ns = created.trim().split('\n').pop() as string;
    expect(ns).toBe(nsId);
    expect((await c.services.lifecycle.listVnfs(ns)).map((v) => v.memberId).sort()).toEqual(['metrics', 'multi']);

    // In OpenStack: one stack per VNF, complete.
    const stacks = await heat.listStacks(api, [`rondo.ns=${ns}`]);
    expect(stacks.map((s) => [s.stack_name, s.stack_status]).sort()).toEqual([[stackName(ns, 'metrics'), 'CREATE_COMPLETE'], [stackName(ns, 'multi'), 'CREATE_COMPLETE']]);

    // The NS instance shows both VNFs with their addresses on the NS links.
    const view = (await inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${ns}` })).json() as NsView;
    expect(view.nsState).toBe('INSTANTIATED');
    const itfs = Object.fromEntries(view.vnfInstance.map((v) => [v.memberId, v.interfaces.map((i) => [i.cp, i.linkId, i.address])]));
    expect(Object.keys(itfs).sort()).toEqual(['metrics', 'multi']);
    expect(itfs['multi']?.map(([cp, link]) => [cp, link])).toEqual([['vnf-mgmt-ext', 'mgmtnet'], ['vnf-data-ext', 'datanet']]);
    expect(itfs['metrics']?.map(([cp, link]) => [cp, link])).toEqual([['vnf-cp0-ext', 'mgmtnet']]);
    const addressOf = (member: string, cp: string): string => itfs[member]?.find((i) => i[0] === cp)?.[2] as string;

    // Every server ACTIVE on the PoP's image, its ports on the right networks with those addresses.
    const netName = new Map((await neutron.neutronList<neutron.NeutronNetwork>(api, 'networks')).map((n) => [n.id, n.name]));
    const serverIds: string[] = [];
    const wiring = async (member: string, vdu: string): Promise<{ nets: string[]; ips: Record<string, string>; userData: string | undefined }> => {
      const [server] = await nova.listServers(api, { name: `${stackName(ns, member)}-${vdu}` });
      expect(server, `${member}/${vdu}`).toBeDefined();
      const full = (await nova.getServer(api, server?.id as string)) as nova.NovaServer & { image: { id: string }; 'OS-EXT-SRV-ATTR:user_data'?: string | null };
      expect([full.status, full.image.id, full.metadata['rondo.ns']]).toEqual(['ACTIVE', imageId, ns]);
      serverIds.push(full.id);
      const ports = await neutron.neutronList<neutron.NeutronPort>(api, 'ports', { device_id: full.id });
      const ips = Object.fromEntries(ports.map((p) => [netName.get(p.network_id) ?? p.network_id, p.fixed_ips[0]?.ip_address as string]));
      const raw = full['OS-EXT-SRV-ATTR:user_data'];
      return { nets: Object.keys(ips).sort(), ips, userData: raw ? Buffer.from(raw, 'base64').toString('utf8') : undefined };
    };
    const net = (link: string): string => networkName(ns, link);
    const mgmtVm = await wiring('multi', 'mgmtVM');
    const dataVm = await wiring('multi', 'dataVM');
    const metricsVm = await wiring('metrics', 'hackfest_basic_metrics-VM');
    // The VNF's internal link is a network of its stack, shared by its two VDUs.
    const internal = mgmtVm.nets.find((n) => n.startsWith(`${stackName(ns, 'multi')}-internal-`)) as string;
    expect(mgmtVm.nets).toEqual([internal, net('mgmtnet')].sort());
    expect(dataVm.nets).toEqual([internal, net('datanet')].sort());
    expect(metricsVm.nets).toEqual([net('mgmtnet')]);
    expect([mgmtVm.ips[net('mgmtnet')], dataVm.ips[net('datanet')], metricsVm.ips[net('mgmtnet')]])
      .toEqual([addressOf('multi', 'vnf-mgmt-ext'), addressOf('multi', 'vnf-data-ext'), addressOf('metrics', 'vnf-cp0-ext')]);
    // cloud_init/cloud-config of the package is the server's user data, unchanged.
    expect(metricsVm.userData).toBe(await readFile(join(OSM, 'hackfest_basic_metrics_vnf/cloud_init/cloud-config'), 'utf8'));
    expect(mgmtVm.userData).toBeUndefined();

    const term = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns}/terminate`, payload: {} });
    expect(term.statusCode, term.body).toBe(202);
    const ended = await c.services.lifecycle.waitForOp(String(term.headers.location).split('/').pop() as string, { timeoutMs: 240_000 });
    expect(ended.operationState, JSON.stringify(ended.error)).toBe('COMPLETED');
    await expectNoLeftovers(api, ns, serverIds);
  });
});

/** No stack, server, port, network or flavor of the NS is left in OpenStack. */
async function expectNoLeftovers(api: KeystoneSession, nsId: string, serverIds: readonly string[]): Promise<void> {
  const prefix = `rondo-${nsShort(nsId)}`;
  expect(await heat.listStacks(api, [`rondo.ns=${nsId}`])).toEqual([]);
  for (const m of ['multi', 'metrics']) expect(await heat.findStack(api, stackName(nsId, m))).toBeUndefined();
  for (const id of serverIds) expect(await nova.getServer(api, id)).toBeUndefined();
  expect((await nova.listServers(api, {})).filter((s) => s.name.startsWith(prefix))).toEqual([]);
  for (const id of serverIds) expect(await neutron.neutronList(api, 'ports', { device_id: id })).toEqual([]);
  expect((await neutron.neutronList<neutron.NeutronPort>(api, 'ports')).filter((p) => p.name.startsWith(prefix))).toEqual([]);
  expect((await neutron.neutronList<neutron.NeutronNetwork>(api, 'networks')).filter((n) => n.name.startsWith(prefix))).toEqual([]);
  expect((await nova.listFlavors(api)).filter((f) => f.name.startsWith(prefix))).toEqual([]);
}
