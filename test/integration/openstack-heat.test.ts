/**
 * Translated SOL001 VNFDs deployed as Heat stacks on the real CI OpenStack: a single-VDU
 * VNFD in Tacker's multi-file layout and a VNFD with a scaling aspect (nested template in
 * `files`), and two heat-translator cases as `rondo vnfd translate` gives them (`unsupported:
 * 'warn'`), whose missing image and CIDR became template parameters. Each reaches
 * CREATE_COMPLETE with ACTIVE servers and readable outputs, and is gone after deleteStack.
 * Fails loudly when OpenStack is not up.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateVnfdToHot } from '../../src/descriptors/etsi/hot/index.js';
import { LABEL_NS } from '../../src/vim/index.js';
import { createOpenStackVimDriver, glance, heat, nova } from '../../src/vim/openstack/index.js';
import type { KeystoneSession, OpenStackVimDriver } from '../../src/vim/openstack/index.js';
import { adminCredentials, adminSession, runId, uploadTestImage } from './openstack-support.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/heat-translator/', import.meta.url));
const run = runId();
const ns = `it-heat-${run}`;

describe('Heat stacks from translated VNFDs', () => {
  let api: KeystoneSession;
  let driver: OpenStackVimDriver;
  let image: { id: string; name: string };

  beforeAll(async () => {
    api = await adminSession();
    driver = createOpenStackVimDriver({ name: 'openstack-heat', credentials: adminCredentials() });
    await driver.init();
    image = await uploadTestImage(api, `rondo-heat-${run}`, [`rondo-it-${run}`]);
  });

  afterAll(async () => {
    await driver?.deleteStack(`rondo-${run}-single`);
    await driver?.deleteStack(`rondo-${run}-scaled`);
    await driver?.deleteStack(`rondo-${run}-warned`);
    await driver?.deleteStack(`rondo-${run}-cidr`);
    await driver?.deleteNetwork(`rondo-${run}-ext`);
    if (image) await glance.deleteImage(api, image.id);
    expect(await heat.listStacks(api, [`${LABEL_NS}=${ns}`])).toEqual([]);
    expect(await glance.listImagesByTag(api, [`rondo-it-${run}`])).toEqual([]);
  });

  it('deploys a single-VDU VNFD (multi-file layout): CREATE_COMPLETE, ACTIVE, outputs, then gone', async () => {
    const { main, nested } = translateVnfdToHot(`${FIXTURES}multi-file/Definitions/sample_vnfd_top.yaml`, { images: { VDU1: image.name } });
    const name = `rondo-${run}-single`;
    const created = await driver.createStack(name, main, nested, {}, { [LABEL_NS]: ns });
    expect(created.name).toBe(name);
    const done = await driver.waitStack(name, { deadlineMs: 300_000 });
    expect(done.status).toBe('CREATE_COMPLETE');
    const outputs = await driver.stackOutputs(name);
    expect(outputs.CP1_ip).toBe('10.77.0.10');
    const server = await nova.getServer(api, String(outputs.VDU1_id));
    expect(server?.status).toBe('ACTIVE');
    expect(server?.name).toBe('server');
    await driver.deleteStack(name);
    expect(await heat.findStack(api, name)).toBeUndefined();
    expect(await nova.getServer(api, String(outputs.VDU1_id))).toBeUndefined();
  });

  it('deploys a scaled VNFD: the AutoScalingGroup and its nested template come up at the level size', async () => {
    const ext = await driver.createNetwork({ name: `rondo-${run}-ext`, subnet: '10.252.0.0/24', labels: { [LABEL_NS]: ns, 'rondo.step': 'ext' } });
    const { main, nested } = translateVnfdToHot(`${FIXTURES}mixed-scaling/vnfd.yaml`, { images: { VDU1: image.name, VDU2: image.name }, qos: false });
    expect(Object.keys(nested)).toEqual(['worker_instance.hot.yaml']);
    const name = `rondo-${run}-scaled`;
    await driver.createStack(name, main, nested, { cp2_network: ext.id }, { [LABEL_NS]: ns });
    const done = await driver.waitStack(name, { deadlineMs: 300_000 });
    expect(done.status).toBe('CREATE_COMPLETE');
    expect(await driver.stackOutputs(name)).toMatchObject({ worker_instance_current_size: 1 });
    await driver.deleteStack(name);
    expect(await heat.findStack(api, name)).toBeUndefined();
    await driver.deleteNetwork(ext.id);
  });

  it('deploys what heat-translator leaves undeployable once the parameters are given: a VDU without image, a link without CIDR', async () => {
    const vdu = translateVnfdToHot(`${FIXTURES}vdu-invalid-compute-requirements/vnfd.yaml`, { unsupported: 'warn' });
    expect(vdu.warnings?.length).toBe(2);
    const name = `rondo-${run}-warned`;
    await driver.createStack(name, vdu.main, vdu.nested, { vdu1_image: image.name }, { [LABEL_NS]: ns });
    expect((await driver.waitStack(name, { deadlineMs: 300_000 })).status).toBe('CREATE_COMPLETE');
    const outputs = await driver.stackOutputs(name);
    expect((await nova.getServer(api, String(outputs.VDU1_id)))?.status).toBe('ACTIVE');
    await driver.deleteStack(name);
    expect(await heat.findStack(api, name)).toBeUndefined();

    const vl = translateVnfdToHot(`${FIXTURES}vl-non-leaf/vnfd.yaml`, { unsupported: 'warn' });
    const cidrStack = `rondo-${run}-cidr`;
    await driver.createStack(cidrStack, vl.main, vl.nested, { vl1_cidr: '10.251.7.0/24' }, { [LABEL_NS]: ns });
    expect((await driver.waitStack(cidrStack, { deadlineMs: 300_000 })).status).toBe('CREATE_COMPLETE');
    await driver.deleteStack(cidrStack);
    expect(await heat.findStack(api, cidrStack)).toBeUndefined();
  });
});
