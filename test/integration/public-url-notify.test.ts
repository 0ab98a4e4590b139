import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExamplePackages, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { CallbackServer } from '../support/callback-server.js';

/**
 * SOL005 callbacks carry absolute URIs: notification `_links` are made under
 * RONDO_PUBLIC_URL, else under where the server listens.
 */
describe('absolute links in SOL005 notifications', () => {
  let dir: string;
  let tango: string;
  const callback = new CallbackServer();
  const apps: TestApp[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-public-url-'));
    tango = (await buildExamplePackages(dir)).tango;
    await callback.start();
  });

  afterAll(async () => {
    for (const t of apps) await t.close();
    await callback.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** On-boards the example, subscribes, creates an NS; returns the subscription and the NsIdentifierCreationNotification. */
  async function createNsAndNotify(t: TestApp, path: string) {
    await t.composition.start({ monitoring: true, worker: false, reconciler: false });
    const pkg = await t.app.inject({ method: 'POST', url: '/packages', payload: await readFile(tango), headers: { 'content-type': 'application/octet-stream' } });
    expect(pkg.statusCode, pkg.body).toBe(201);
    const sub = await t.app.inject({ method: 'POST', url: '/nslcm/v1/subscriptions', payload: { callbackUri: `${callback.url}/${path}`, filter: { notificationTypes: ['NsIdentifierCreationNotification'] } } });
    expect(sub.statusCode, sub.body).toBe(201);
    const nsdId = (await t.app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors' })).json()[0].id as string;
    const created = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName: `ns-${path}`, nsDescription: 'links' } });
    expect(created.statusCode, created.body).toBe(201);
    const nsId = created.json().id as string;
    // Both apps count ids from 1: tell their notifications apart by the callback path.
    const mine = () => callback.requests.find((r) => r.method === 'POST' && r.path === `/${path}` && r.body?.nsInstanceId === nsId)?.body;
    await callback.waitFor(() => mine() !== undefined);
    const note = mine() as { _links: { nsInstance: { href: string }; subscription: { href: string } } };
    return { nsId, sub: sub.json() as { id: string; _links: { self: { href: string } } }, location: String(sub.headers.location), note };
  }

  it('uses RONDO_PUBLIC_URL for the notification, the subscription and its Location', async () => {
    const t = await openTestApp('pglite', 'public-url-notify-set', { publicUrl: 'https://mano.example.net/rondo' });
    apps.push(t);
    const { nsId, sub, location, note } = await createNsAndNotify(t, 'set');
    expect(note._links.nsInstance.href).toBe(`https://mano.example.net/rondo/nslcm/v1/ns_instances/${nsId}`);
    expect(note._links.subscription.href).toBe(`https://mano.example.net/rondo/nslcm/v1/subscriptions/${sub.id}`);
    expect(sub._links.self.href).toBe(`https://mano.example.net/rondo/nslcm/v1/subscriptions/${sub.id}`);
    expect(location).toBe(sub._links.self.href);
  });

  it('without RONDO_PUBLIC_URL, links are absolute under the address the server listens on', async () => {
    const t = await openTestApp('pglite', 'public-url-notify-default', { host: '127.0.0.1', port: 0 });
    apps.push(t);
    const url = await t.composition.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { nsId, note } = await createNsAndNotify(t, 'default');
    expect(note._links.nsInstance.href).toBe(`${url}/nslcm/v1/ns_instances/${nsId}`);
  });
});
