import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { CallbackServer } from '../support/callback-server.js';
import { STORE_KINDS } from '../support/store.js';

/**
 * SOL005 v2.6.1 PNFD management (`/nsd/v1/pnf_descriptors`, §5.4.5–5.4.7) on both stores:
 * create, upload a SOL001 PNFD (a `tosca.nodes.nfv.PNF` node, through a derived node
 * type too), read it back, its states, userDefinedData, delete; a PNFD missing SOL001's
 * mandatory PNF properties is refused with 422 naming the file and field and ends in ERROR;
 * the NSD management subscription's real callback receives PnfdOnBoarding,
 * PnfdOnBoardingFailure and PnfdDeletion notifications. Records and notifications are
 * checked against test/fixtures/sol005-schemas/PnfdInfo.schema.json and NsdmNotifications.schema.json.
 */

const SCHEMA_DIR = join(process.cwd(), 'test/fixtures/sol005-schemas');
const PUBLIC = 'https://mano.example.net/rondo';
type Json = Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

const pnfd = (props: Record<string, string>) =>
  [
    'tosca_definitions_version: tosca_simple_yaml_1_2',
    'description: A firewall appliance',
    'imports:',
    '  - etsi_nfv_sol001_pnfd_types.yaml',
    'node_types:',
    '  acme.pnf.Firewall:',
    '    derived_from: tosca.nodes.nfv.PNF',
    'topology_template:',
    '  node_templates:',
    '    firewall:',
    '      type: acme.pnf.Firewall',
    '      properties:',
    ...Object.entries(props).map(([k, v]) => `        ${k}: ${v}`),
    '',
  ].join('\n');
const VALID = {
  descriptor_id: 'b1bb0ce7-ebca-4fa7-95ed-4840d70a1177',
  function_description: 'hardware firewall',
  provider: 'Acme',
  version: "'1.0'", // quoted: TOSCA string properties are strings (tosca-parser refuses a bare 1.0 too)
  descriptor_invariant_id: '1111-2222-aaaa-bbbb',
  name: 'acme-fw',
};

describe.each(STORE_KINDS)('SOL005 PNFD management (%s)', (kind) => {
  let t: TestApp;
  let ajv: Ajv;
  const callback = new CallbackServer();

  beforeAll(async () => {
    ajv = new Ajv({ allErrors: true, strict: false });
    (((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv)(ajv);
    for (const f of (await readdir(SCHEMA_DIR)).filter((n) => n.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(await readFile(join(SCHEMA_DIR, f), 'utf8')) as object);
    await callback.start();
    t = await openTestApp(kind, `pnfd-api-${kind}`, { publicUrl: PUBLIC });
    await t.composition.start({ monitoring: true, worker: false, reconciler: false });
  });
  afterAll(async () => {
    await t?.close();
    await callback.stop();
  });

  const inject = (opts: InjectOptions) => t.app.inject(opts);
  const expectValid = (ref: string, record: unknown): void => {
    const v = ajv.getSchema(ref);
    if (!v) throw new Error(`no schema ${ref}`);
    const ok = v(record);
    expect(ok ? [] : v.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), `${ref}: ${JSON.stringify(record).slice(0, 400)}`).toEqual([]);
  };
  const notes = (type: string) => callback.requests.filter((r) => r.method === 'POST' && r.path === '/nsdm' && r.body?.notificationType === type).map((r) => r.body as Json);
  const create = async (): Promise<Json> => {
    const c = await inject({ method: 'POST', url: '/nsd/v1/pnf_descriptors', payload: { userDefinedData: { site: 'edge-1' } } });
    expect(c.statusCode, c.body).toBe(201);
    return c.json() as Json;
  };
  const upload = (id: string, body: string, type = 'text/plain') => inject({ method: 'PUT', url: `/nsd/v1/pnf_descriptors/${id}/pnfd_content`, headers: { 'content-type': type }, payload: body });

  it('creates, on-boards, reads, modifies and deletes a PNFD, notifying the NSD management subscribers', async () => {
    const s = await inject({ method: 'POST', url: '/nsd/v1/subscriptions', payload: { callbackUri: `${callback.url}/nsdm`, filter: { notificationTypes: ['PnfdOnBoardingNotification', 'PnfdOnBoardingFailureNotification', 'PnfdDeletionNotification'] } } });
    expect(s.statusCode, s.body).toBe(201);

    const info = await create();
    expectValid('PnfdInfo.schema.json', info);
    expect(info).toMatchObject({ pnfdOnboardingState: 'CREATED', pnfdUsageState: 'NOT_IN_USE', userDefinedData: { site: 'edge-1' }, _links: { self: { href: expect.stringMatching(new RegExp(`/nsd/v1/pnf_descriptors/${info.id}$`)) } } });
    const early = await inject({ method: 'GET', url: `/nsd/v1/pnf_descriptors/${info.id}/pnfd_content` });
    expect([early.statusCode, early.json().code]).toEqual([409, 'STATE_CONFLICT']);

    const text = pnfd(VALID);
    const u = await upload(info.id, text);
    expect(u.statusCode, u.body).toBe(204);
    const shown = (await inject({ method: 'GET', url: `/nsd/v1/pnf_descriptors/${info.id}` })).json() as Json;
    expectValid('PnfdInfo.schema.json', shown);
    expect(shown).toMatchObject({ pnfdId: VALID.descriptor_id, pnfdName: 'acme-fw', pnfdVersion: '1.0', pnfdProvider: 'Acme', pnfdInvariantId: VALID.descriptor_invariant_id, pnfdOnboardingState: 'ONBOARDED', pnfdUsageState: 'NOT_IN_USE' });
    const content = await inject({ method: 'GET', url: `/nsd/v1/pnf_descriptors/${info.id}/pnfd_content`, headers: { accept: 'text/plain' } });
    expect([content.statusCode, content.headers['content-type'], content.body]).toEqual([200, 'text/plain; charset=utf-8', text]);
    const again = await upload(info.id, text);
    expect([again.statusCode, again.json().code]).toEqual([409, 'STATE_CONFLICT']);

    const list = (await inject({ method: 'GET', url: `/nsd/v1/pnf_descriptors?filter=(eq,pnfdOnboardingState,ONBOARDED)` })).json() as Json[];
    expect(list.map((p) => [p.id, 'userDefinedData' in p])).toEqual([[info.id, false]]);
    const p = await inject({ method: 'PATCH', url: `/nsd/v1/pnf_descriptors/${info.id}`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { userDefinedData: { site: null, rack: '7' } } });
    expect([p.statusCode, p.json()]).toEqual([200, { userDefinedData: { site: null, rack: '7' } }]);
    expect((await inject({ method: 'GET', url: `/nsd/v1/pnf_descriptors/${info.id}` })).json().userDefinedData).toEqual({ rack: '7' });

    expect((await inject({ method: 'DELETE', url: `/nsd/v1/pnf_descriptors/${info.id}` })).statusCode).toBe(204);
    expect((await inject({ method: 'GET', url: `/nsd/v1/pnf_descriptors/${info.id}` })).statusCode).toBe(404);

    await callback.waitFor(() => notes('PnfdOnBoardingNotification').length >= 1 && notes('PnfdDeletionNotification').length >= 1);
    for (const type of ['PnfdOnBoardingNotification', 'PnfdDeletionNotification']) {
      const [n] = notes(type);
      expectValid(`NsdmNotifications.schema.json#/definitions/${type}`, n);
      // Notifications carry absolute links under the public URL (SOL005 callbacks need them).
      expect(n).toMatchObject({ pnfdInfoId: info.id, pnfdId: VALID.descriptor_id, _links: { pnfdInfo: { href: `${PUBLIC}/nsd/v1/pnf_descriptors/${info.id}` } } });
    }
  });

  it('refuses a PNFD without SOL001 mandatory properties with 422 naming file and field, and leaves it in ERROR', async () => {
    const info = await create();
    const { provider: _omit, ...noProvider } = VALID;
    const u = await inject({
      method: 'PUT',
      url: `/nsd/v1/pnf_descriptors/${info.id}/pnfd_content`,
      headers: { 'content-type': 'text/plain', 'content-disposition': 'attachment; filename="fw-pnfd.yaml"' },
      payload: pnfd(noProvider),
    });
    expect(u.statusCode, u.body).toBe(422);
    expect(u.json().code).toBe('PACKAGE_INVALID');
    expect(u.json().issues).toEqual([{ file: 'fw-pnfd.yaml', path: '/topology_template/node_templates/firewall/properties/provider', message: expect.stringContaining('tosca.nodes.nfv.PNF') }]);
    const shown = (await inject({ method: 'GET', url: `/nsd/v1/pnf_descriptors/${info.id}` })).json() as Json;
    expectValid('PnfdInfo.schema.json', shown);
    expect(shown.pnfdOnboardingState).toBe('ERROR');
    expect(shown.onboardingFailureDetails).toMatchObject({ status: 422, detail: expect.stringContaining('fw-pnfd.yaml /topology_template/node_templates/firewall/properties/provider') });
    await callback.waitFor(() => notes('PnfdOnBoardingFailureNotification').length >= 1);
    const [n] = notes('PnfdOnBoardingFailureNotification');
    expectValid('NsdmNotifications.schema.json#/definitions/PnfdOnBoardingFailureNotification', n);
    expect(n).toMatchObject({ pnfdInfoId: info.id, onboardingFailureDetails: { status: 422 } });

    // No PNF node at all; and a zip is not a PNFD.
    const other = await create();
    const none = await upload(other.id, 'tosca_definitions_version: tosca_simple_yaml_1_2\ntopology_template:\n  node_templates: {}\n');
    expect([none.statusCode, none.json().issues[0].path]).toEqual([422, '/topology_template/node_templates']);
    const third = await create();
    const zip = await upload(third.id, 'PK\u0003\u0004', 'application/zip');
    expect([zip.statusCode, zip.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect((await inject({ method: 'GET', url: `/nsd/v1/pnf_descriptors/${third.id}` })).json().pnfdOnboardingState).toBe('CREATED');
  });
});
