import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExamplePackages, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { CallbackServer } from '../support/callback-server.js';

/**
 * SOL005 NsIdentifierCreation/DeletionNotification through the real app: creating and
 * deleting an NS instance over the API notifies the subscribers of the NS's tenant.
 */
describe('NS identifier notifications from the API', () => {
  let dir: string;
  let t: TestApp;
  const callback = new CallbackServer();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-ns-ident-'));
    const files = await buildExamplePackages(dir);
    await callback.start();
    t = await openTestApp('pglite', 'ns-identifier-notify');
    await t.deps.services.monitoring!.start();
    const pkg = await t.app.inject({ method: 'POST', url: '/packages', payload: await readFile(files.tango), headers: { 'content-type': 'application/octet-stream' } });
    expect(pkg.statusCode).toBe(201);
  });

  afterAll(async () => {
    await t?.deps.services.monitoring?.stop();
    await t?.close();
    await callback.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('POST and DELETE /nslcm/v1/ns_instances send NsIdentifierCreation and NsIdentifierDeletion notifications', async () => {
    const sub = await t.app.inject({
      method: 'POST',
      url: '/nslcm/v1/subscriptions',
      payload: { callbackUri: `${callback.url}/ns`, filter: { notificationTypes: ['NsIdentifierCreationNotification', 'NsIdentifierDeletionNotification'] } },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const nsdId = (await t.app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors' })).json()[0].id as string;
    const created = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName: 'watched', nsDescription: 'identifier notifications' } });
    expect(created.statusCode, created.body).toBe(201);
    const nsId = created.json().id as string;
    await callback.waitFor(() => callback.notifications.some((n) => n.notificationType === 'NsIdentifierCreationNotification' && n.nsInstanceId === nsId));

    expect((await t.app.inject({ method: 'DELETE', url: `/nslcm/v1/ns_instances/${nsId}` })).statusCode).toBe(204);
    await callback.waitFor(() => callback.notifications.some((n) => n.notificationType === 'NsIdentifierDeletionNotification' && n.nsInstanceId === nsId));
    const mine = callback.notifications.filter((n) => n.nsInstanceId === nsId).map((n) => n.notificationType);
    expect(mine).toEqual(['NsIdentifierCreationNotification', 'NsIdentifierDeletionNotification']);
  });
});
