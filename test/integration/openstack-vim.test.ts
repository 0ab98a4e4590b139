/**
 * The OpenStack driver against the real CI OpenStack (scripts/ensure-openstack.sh): the
 * shared compliance suite, fault mapping (AUTH, CONNECTION, NOT_FOUND, QUOTA), and no
 * leftovers at the end. Fails loudly when OpenStack is not up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_NS, LABEL_STEP } from '../../src/vim/index.js';
import { RONDO_TAG } from '../../src/vim/openstack/openstack-labels.js';
import { createOpenStackVimDriver, glance, neutron, nova } from '../../src/vim/openstack/index.js';
import type { KeystoneSession } from '../../src/vim/openstack/index.js';
import { expectVimError, runVimCompliance } from '../vim-compliance.js';
import { adminCredentials, adminSession, createProject, runId, uploadTestImage } from './openstack-support.js';

const run = runId();
const IMAGE_TAG = `rondo-it-${run}`;
let flavorsBefore: Set<string> | undefined;
// Tagged resources that were there before this file ran (another run's, killed mid-test) are
// not this file's to judge: the afterAll checks that this file added none and left none.
let taggedBefore: Set<string> | undefined;
const taggedIds = async (api: KeystoneSession): Promise<string[]> => [
  ...(await nova.listServers(api, { tags: [RONDO_TAG] })).map((x) => `server ${x.id}`),
  ...(await neutron.neutronList<{ id: string }>(api, 'networks', {}, [RONDO_TAG])).map((x) => `network ${x.id}`),
  ...(await neutron.neutronList<{ id: string }>(api, 'ports', {}, [RONDO_TAG])).map((x) => `port ${x.id}`),
];
beforeAll(async () => {
  taggedBefore = new Set(await taggedIds(await adminSession()));
});

runVimCompliance('openstack', async () => {
  const api = await adminSession();
  flavorsBefore ??= new Set((await nova.listFlavors(api)).map((f) => f.name));
  const image = await uploadTestImage(api, `rondo-it-${run}`, [IMAGE_TAG]);
  const driver = createOpenStackVimDriver({ name: 'openstack', credentials: adminCredentials(), watchIntervalMs: 1_000 });
  return {
    driver,
    image: image.name,
    // The closest thing to a crash Nova offers a tenant admin: force the server to ERROR.
    kill: async (id: string) => nova.serverAction(api, id, { 'os-resetState': { state: 'error' } }),
    cleanup: async () => glance.deleteImage(api, image.id),
  };
}, { notSupported: ['compute-ping', 'exec-exit-codes', 'tunnel-endpoint'] });

describe('OpenStack VIM faults', () => {
  let admin: KeystoneSession;
  beforeAll(async () => {
    admin = await adminSession();
    flavorsBefore ??= new Set((await nova.listFlavors(admin)).map((f) => f.name));
  });

  it('a wrong password is AUTH', async () => {
    const d = createOpenStackVimDriver({ credentials: { ...adminCredentials(), password: 'not-the-password' } });
    const e = await expectVimError(d.checkConnectivity(), 'AUTH');
    // The VIM's own 401 stays in the cause; clients get 502 (the account's credentials, not theirs).
    expect([e.status, (e.cause as { status?: number }).status]).toEqual([502, 401]);
    expect(e.cause).toBeDefined();
  });

  it('an unreachable Keystone is CONNECTION (retryable)', async () => {
    const d = createOpenStackVimDriver({ credentials: { ...adminCredentials(), authUrl: 'http://127.0.0.1:1/v3' } });
    const e = await expectVimError(d.init(), 'CONNECTION');
    expect(e.retryable).toBe(true);
  });

  it('a missing image is NOT_FOUND and hasImage says false', async () => {
    const d = createOpenStackVimDriver({ credentials: adminCredentials() });
    expect(await d.hasImage(`rondo-missing-${run}`)).toBe(false);
    await expectVimError(d.createCompute({
      name: `rq-${run}-noimg`, image: `rondo-missing-${run}`, vcpus: 1, memoryMiB: 64, interfaces: [], env: {},
      labels: { [LABEL_NS]: `it-${run}`, [LABEL_STEP]: 'noimg' },
    }), 'NOT_FOUND');
    expect((await d.status(`rq-${run}-noimg`)).state).toBe('DELETED');
  });

  it('exceeding network and compute quotas of a fresh project is QUOTA, and nothing is left', async () => {
    const project = await createProject(admin, `rondo-it-${run}`);
    try {
      await neutron.setNetworkQuota(admin, project, { network: 1 });
      await nova.setComputeQuota(admin, project, { instances: 0 });
      const image = await uploadTestImage(admin, `rondo-itq-${run}`, [IMAGE_TAG]);
      const d = createOpenStackVimDriver({ name: 'quota', credentials: { ...adminCredentials(), projectName: `rondo-it-${run}` } });
      const labels = (step: string) => ({ [LABEL_NS]: `itq-${run}`, [LABEL_STEP]: step });
      try {
        const net = await d.createNetwork({ name: `rq-${run}-n1`, subnet: '10.251.1.0/24', labels: labels('n1') });
        await expectVimError(d.createNetwork({ name: `rq-${run}-n2`, subnet: '10.251.2.0/24', labels: labels('n2') }), 'QUOTA');
        await expectVimError(d.createCompute({
          name: `rq-${run}-c1`, image: image.id, vcpus: 1, memoryMiB: 64, interfaces: [{ network: net.name, address: '10.251.1.10' }], env: {}, labels: labels('c1'),
        }), 'QUOTA');
        expect((await d.listByLabel({ [LABEL_NS]: `itq-${run}` })).map((r) => r.kind)).toEqual(['network']);
        expect(await neutron.neutronList(admin, 'ports', { project_id: project })).toEqual([]);
        await d.deleteNetwork(net.id);
        expect(await d.listByLabel({ [LABEL_NS]: `itq-${run}` })).toEqual([]);
      } finally {
        await glance.deleteImage(admin, image.id);
      }
    } finally {
      await admin.call('identity', { method: 'DELETE', path: `/projects/${project}`, what: 'delete test project' });
    }
  });
});

afterAll(async () => {
  const api = await adminSession();
  expect((await taggedIds(api)).filter((id) => !taggedBefore?.has(id))).toEqual([]);
  expect(await glance.listImagesByTag(api, [IMAGE_TAG])).toEqual([]);
  // Flavors the driver created for the suite are shared by design; remove ours so CI stays clean.
  for (const f of await nova.listFlavors(api)) {
    if (f.name.startsWith('rondo-c') && !flavorsBefore?.has(f.name)) await nova.deleteFlavor(api, f.id);
  }
  expect((await nova.listFlavors(api)).filter((f) => f.name.startsWith('rondo-c') && !flavorsBefore?.has(f.name))).toEqual([]);
});
