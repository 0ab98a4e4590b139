import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authContext } from '../../src/auth/index.js';
import type { AuthContext, UserRole } from '../../src/auth/index.js';
import type { AuthRouteEntry } from '../../src/api/http/auth-plugin.js';
import type { MonitoringServices } from '../../src/app/index.js';
import { pmRepository } from '../../src/store/index.js';
import { buildExamplePackages } from '../support/app.js';
import { CallbackServer } from '../support/callback-server.js';
import type { StoreKind } from '../support/store.js';
import { bearer, openAuthTestApp, readSseFrames } from './auth-support.js';
import type { AuthTestApp } from './auth-support.js';

// The role × tenant × route matrix of issue #7: tenant A owns one of every resource;
// B's operator and viewer, A's viewer and anonymous callers try every non-public route
// of the app's route table against A's ids. Cross-tenant attempts must answer 404
// exactly like a missing id, under-privileged ones 403, anonymous ones 401; lists
// answer B without any of A's ids. Destructive calls are never made by someone allowed
// to make them, so A's resources stay put for the whole walk.

const TENANT_A = 'tenant-a';
const TENANT_B = 'tenant-b';
const PASSWORD = 'matrix-password-123';
const ADMIN_PASSWORD = 'matrix-admin-password-123';
const MISSING = 'f0000000-0000-4000-8000-00000000dead';

let dir: string;
let files: { tango: string; csar: string };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rondo-auth-matrix-'));
  files = await buildExamplePackages(dir);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** A caller of the matrix: null header = anonymous. */
interface Actor {
  readonly name: string;
  readonly header: string | null;
  readonly ctx: AuthContext | null;
}

/** A's resources by the name route params are filled from. */
interface Ids {
  readonly vnfPkgId: string;
  readonly nsdInfoId: string;
  readonly packageId: string;
  readonly vimId: string;
  readonly nsInstanceId: string;
  readonly nsLcmOpOccId: string;
  readonly alarmId: string;
  readonly lcmSubscriptionId: string;
  readonly fmSubscriptionId: string;
  readonly nsdSubscriptionId: string;
  readonly pkgmSubscriptionId: string;
  readonly pmSubscriptionId: string;
  readonly pnfdInfoId: string;
  readonly pmJobId: string;
  readonly reportId: string;
  readonly thresholdId: string;
  readonly userId: string;
  readonly apiKeyId: string;
  readonly tenant: string;
  readonly artifact: string;
  /** An auto-heal policy of A's NS (`auto-heal-<member>`). */
  readonly policyId: string;
  /** Plugins are admin business: no tenant owns one; any id shows the 401/403 rules. */
  readonly pluginId: string;
}

const MISSING_IDS: Ids = {
  vnfPkgId: MISSING, nsdInfoId: MISSING, packageId: MISSING, vimId: 'pop-missing', nsInstanceId: MISSING, nsLcmOpOccId: MISSING, alarmId: MISSING,
  lcmSubscriptionId: MISSING, fmSubscriptionId: MISSING, nsdSubscriptionId: MISSING, pkgmSubscriptionId: MISSING,
  pmSubscriptionId: MISSING, pnfdInfoId: MISSING, pmJobId: MISSING, reportId: MISSING, thresholdId: MISSING, userId: MISSING, apiKeyId: MISSING, tenant: 'tenant-missing', artifact: 'missing.txt',
  policyId: 'auto-heal-missing', pluginId: MISSING,
};

/** `:id` means a different resource under each prefix. */
const ID_BY_PREFIX: readonly (readonly [RegExp, keyof Ids])[] = [
  [/^\/vnfpkgm\/v1\/vnf_packages\/:id/, 'vnfPkgId'],
  [/^\/nsd\/v1\/ns_descriptors\/:id/, 'nsdInfoId'],
  [/^\/nsd\/v1\/pnf_descriptors\/:id/, 'pnfdInfoId'],
  [/^\/admin\/v1\/packages\/:id/, 'packageId'],
  [/^\/admin\/v1\/vims\/:id/, 'vimId'],
  [/^\/(nslcm|admin)\/v1\/ns_instances\/:id/, 'nsInstanceId'],
  [/^\/nslcm\/v1\/ns_lcm_op_occs\/:id/, 'nsLcmOpOccId'],
  [/^\/admin\/v1\/users\/:id/, 'userId'],
  [/^\/admin\/v1\/api_keys\/:id/, 'apiKeyId'],
  [/^\/admin\/v1\/plugins\/:id/, 'pluginId'],
];

/** The URL of a route with its params filled from `ids`; throws for a param nobody mapped (add it). */
function fill(url: string, ids: Ids): string {
  const filled = url.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'id') {
      const hit = ID_BY_PREFIX.find(([re]) => re.test(url));
      if (!hit) throw new Error(`auth matrix: no id mapping for ${url}; add its prefix to ID_BY_PREFIX`);
      return encodeURIComponent(ids[hit[1]]);
    }
    if (name === 'subscriptionId') {
      const api = url.split('/')[1] as 'nslcm' | 'nsfm' | 'nsd' | 'vnfpkgm' | 'nspm';
      return ids[({ nslcm: 'lcmSubscriptionId', nsfm: 'fmSubscriptionId', nsd: 'nsdSubscriptionId', vnfpkgm: 'pkgmSubscriptionId', nspm: 'pmSubscriptionId' } as const)[api]];
    }
    if (name in ids) return encodeURIComponent(ids[name as keyof Ids]);
    throw new Error(`auth matrix: no value for :${name} in ${url}; add it to Ids`);
  });
  return filled.replace('*', ids.artifact);
}

const VES_BODY = (endpoint: string) => ({
  vesagent_config: {
    ves_subscription: { endpoint, username: 'ves', password: 'ves-secret-password' },
    poll_interval_default: 60,
    backlogs: [{ domain: 'heartbeat', type: 'vim', tenant: 'default', source: 'pop' }],
  },
});

/** Routes whose body, not their path, names A's resource. */
const BODY_TARGETED = new Set([
  'POST /nslcm/v1/ns_instances',
  ...['/instantiations', '/api/v2/instantiations', '/api/v2/requests'].flatMap((p) => [`POST ${p}`, `DELETE ${p}`]),
]);

/** A minimal valid request body per route (JSON `{}` for other writes). */
function bodyFor(r: AuthRouteEntry, ids: Ids, vesEndpoint: string): { payload?: string | Buffer | object; contentType?: string } {
  const key = `${r.method} ${r.url}`;
  if (key === 'POST /nslcm/v1/ns_instances') return { payload: { nsdId: ids.nsdInfoId, nsName: 'matrix' } };
  if (BODY_TARGETED.has(key)) return { payload: r.method === 'POST' ? { service_uuid: ids.nsdInfoId } : { service_uuid: ids.nsdInfoId, service_instance_uuid: ids.nsInstanceId } };
  if (key === 'PUT /vnfpkgm/v1/vnf_packages/:id/package_content') return { payload: Buffer.from('PK\u0003\u0004not-a-zip'), contentType: 'application/zip' };
  if (key === 'POST /vnfpkgm/v1/vnf_packages/:id/package_content/upload_from_uri') return { payload: { addressInformation: 'http://127.0.0.1:9/package.zip' } };
  if (key === 'PUT /nsd/v1/ns_descriptors/:id/nsd_content') return { payload: 'nsd: {}\n', contentType: 'text/plain' };
  if (key === 'PUT /nsd/v1/pnf_descriptors/:id/pnfd_content') return { payload: 'pnfd: {}\n', contentType: 'text/plain' };
  if (r.method === 'PATCH' && r.url.startsWith('/nspm/')) return { payload: { callbackUri: 'http://127.0.0.1:9/cb' }, contentType: 'application/merge-patch+json' };
  if (key === 'PATCH /nsfm/v1/alarms/:alarmId') return { payload: { ackState: 'ACKNOWLEDGED' }, contentType: 'application/merge-patch+json' };
  if (r.method === 'PATCH' && /vnf_packages|ns_descriptors|pnf_descriptors/.test(r.url)) return { payload: { userDefinedData: { matrix: 'x' } } };
  if (r.method === 'POST' && r.url.endsWith('/vesagent')) return { payload: VES_BODY(vesEndpoint) };
  if (r.method === 'POST' && r.url.endsWith('/instantiate')) return { payload: { nsFlavourId: 'default' } };
  if (r.method === 'POST' && r.url.endsWith('/heal')) return { payload: { healNsData: { degreeHealing: 'HEAL_RESTORE' } } };
  if (r.method === 'POST' && r.url.endsWith('/update')) return { payload: { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: 'vnf-of-a', changeStateTo: 'STOPPED' }] } };
  if (r.method === 'POST' && r.url.endsWith('/scale')) return { payload: { scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: 'vnf-of-a', scaleVnfType: 'SCALE_OUT', scaleByStepData: { aspectId: 'vdu01' } }] } };
  if (key === 'PATCH /admin/v1/users/:id') return { payload: { disabled: true } };
  if (key === 'POST /admin/v1/vims') return { payload: { name: 'pop-matrix', type: 'memory', endpoint: 'memory://matrix' } };
  if (key === 'POST /admin/v1/users') return { payload: { username: 'intruder', password: PASSWORD, tenant: TENANT_A, roles: ['admin'] } };
  if (/subscriptions$/.test(r.url) && r.method === 'POST') return { payload: { callbackUri: 'http://127.0.0.1:9/cb' } };
  if (key === 'POST /admin/v1/api_keys') return { payload: { name: 'matrix' } };
  if (/packages$/.test(r.url) && r.method === 'POST') return { payload: Buffer.from('not a package'), contentType: 'application/octet-stream' };
  if (r.method === 'GET' || r.method === 'DELETE') return {};
  return { payload: {} };
}

type RouteKind = 'targeted' | 'list' | 'create' | 'stream';
const kindOf = (r: AuthRouteEntry): RouteKind =>
  r.url === '/api/events' ? 'stream' : r.url.includes(':') || r.url.includes('*') || BODY_TARGETED.has(`${r.method} ${r.url}`) ? 'targeted' : r.method === 'GET' ? 'list' : 'create';

/** API keys and users belong to a user, not a tenant. */
const userOwned = (r: AuthRouteEntry): boolean => /^\/admin\/v1\/(api_keys|users)\/:/.test(r.url);

/** Changes state: a write whose action is not a read; self-service API keys aside. */
const stateChanging = (r: AuthRouteEntry): boolean => r.method !== 'GET' && !(r.action ?? '').endsWith(':read') && !(r.action ?? '').startsWith('apikey:');

describe.each([
  ['pglite', 'full'],
  ['postgres', 'targeted'],
] as const satisfies readonly (readonly [StoreKind, 'full' | 'targeted'])[])('auth matrix: role × tenant × route (%s, %s pass)', (kind, pass) => {
  let t: AuthTestApp;
  let cb: CallbackServer;
  let monitoring: MonitoringServices;
  let ids: Ids;
  /** Every id of A's that must never show in B's answers. */
  let idsOfA: string[];
  let nsOfB: string;
  const headers: Record<string, string> = {};
  const users: Record<string, { id: string; ctx: AuthContext }> = {};

  const call = (method: string, url: string, header: string | null, body: ReturnType<typeof bodyFor> = {}) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(header ? { authorization: header } : {}), ...(body.contentType ? { 'content-type': body.contentType } : {}) },
      ...(body.payload !== undefined ? { payload: body.payload } : {}),
    });

  beforeAll(async () => {
    t = await openAuthTestApp(kind, `auth-matrix-${kind}`, { rateLimit: { burst: 1_000_000, perSecond: 1_000_000 } }, { RONDO_ADMIN_USER: 'admin', RONDO_ADMIN_PASSWORD: ADMIN_PASSWORD });
    monitoring = t.deps.services.monitoring as MonitoringServices;
    t.deps.services.lifecycleWorker?.start();
    cb = new CallbackServer();
    await cb.start();
    await t.auth.ensureBootstrapAdmin();
    headers.admin = await bearer(t.app, 'admin', ADMIN_PASSWORD);
    for (const [name, tenant, role] of [
      ['operator-a', TENANT_A, 'operator'],
      ['viewer-a', TENANT_A, 'viewer'],
      ['operator-b', TENANT_B, 'operator'],
      ['viewer-b', TENANT_B, 'viewer'],
    ] as const) {
      const r = await call('POST', '/admin/v1/users', headers.admin, { payload: { username: name, password: PASSWORD, tenant, roles: [role] } });
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json<{ id: string }>().id;
      users[name] = { id, ctx: authContext({ userId: id, user: name, tenant, roles: [role as UserRole], method: 'token' }) };
      headers[name] = await bearer(t.app, name, PASSWORD);
    }
    const opA = headers['operator-a']!;
    const opB = headers['operator-b']!;
    const ok = async (r: Awaited<ReturnType<typeof call>>, status: number) => {
      expect(r.statusCode, r.body).toBe(status);
      return r;
    };

    // PoPs: an admin adds one per tenant and shares it (operators may not add VIMs).
    for (const [pop, tenant] of [['pop-of-a', TENANT_A], ['pop-of-b', TENANT_B]] as const) {
      await ok(await call('POST', '/admin/v1/vims?check=false', headers.admin, { payload: { name: pop, type: 'memory', endpoint: `memory://${pop}`, capacity: { cpu: 64, memoryMiB: 65536 } } }), 201);
      await ok(await call('PUT', `/admin/v1/vims/${pop}/shares/${tenant}`, headers.admin), 200);
    }

    // A: a whole package, a SOL005 VNF package with content, an NSD, an NS on its PoP.
    const pkg = (await ok(await call('POST', '/admin/v1/packages', opA, { payload: await readFile(files.tango), contentType: 'application/octet-stream' }), 201)).json<{
      id: string; nsds: { id: string }[]; vnfds: { id: string }[];
    }>();
    const vnfPkg = (await ok(await call('POST', '/vnfpkgm/v1/vnf_packages', opA, { payload: {} }), 201)).json<{ id: string }>();
    await ok(await call('PUT', `/vnfpkgm/v1/vnf_packages/${vnfPkg.id}/package_content`, opA, { payload: await readFile(files.csar), contentType: 'application/zip' }), 202);
    const nsdInfoId = pkg.nsds[0]!.id;
    const ns = (await ok(await call('POST', '/nslcm/v1/ns_instances', opA, { payload: { nsdId: nsdInfoId, nsName: 'ns-of-a' } }), 201)).json<{ id: string }>();
    // Placement sees only A's PoPs: a pin to B's PoP is as unknown as a missing one.
    const pinned = await call('POST', `/nslcm/v1/ns_instances/${ns.id}/instantiate?dry_run=true`, opA, { payload: { additionalParamsForNs: { pins: { client: 'pop-of-b' } } } });
    expect([pinned.statusCode, pinned.json().code]).toEqual([404, 'NOT_FOUND']);
    const inst = await ok(await call('POST', `/nslcm/v1/ns_instances/${ns.id}/instantiate`, opA, { payload: { nsFlavourId: 'default' } }), 202);
    const opId = String(inst.headers.location).split('/').at(-1)!;
    const done = await t.deps.services.lifecycle.waitForOp(opId, { timeoutMs: 60_000 });
    expect(done.operationState).toBe('COMPLETED');
    expect((await call('GET', `/nslcm/v1/ns_instances/${ns.id}`, opA)).body).not.toContain('pop-of-b');

    // Subscriptions of A and B on one callback server; an alarm on A's NS.
    const sub = async (header: string, api: 'nslcm' | 'nsfm' | 'nsd' | 'vnfpkgm' | 'nspm', path: string) =>
      (await ok(await call('POST', `/${api}/v1/subscriptions`, header, { payload: { callbackUri: `${cb.url}${path}` } }), 201)).json<{ id: string }>().id;
    const lcmSubscriptionId = await sub(opA, 'nslcm', '/a/lcm');
    const fmSubscriptionId = await sub(opA, 'nsfm', '/a/fm');
    const nsdSubscriptionId = await sub(opA, 'nsd', '/a/nsd');
    const pkgmSubscriptionId = await sub(opA, 'vnfpkgm', '/a/pkgm');
    await sub(opB, 'nslcm', '/b/lcm');
    await sub(opB, 'nsfm', '/b/fm');
    await sub(opB, 'nsd', '/b/nsd');
    await sub(opB, 'vnfpkgm', '/b/pkgm');
    const pmSubscriptionId = await sub(opA, 'nspm', '/a/pm');
    await sub(opB, 'nspm', '/b/pm');
    // A PNFD, a PM job with a report, a threshold, all A's.
    const pnfdInfoId = (await ok(await call('POST', '/nsd/v1/pnf_descriptors', opA, { payload: {} }), 201)).json<{ id: string }>().id;
    const pnfdText = ['tosca_definitions_version: tosca_simple_yaml_1_2', 'topology_template:', '  node_templates:', '    pnf:', '      type: tosca.nodes.nfv.PNF', '      properties:',
      ...['descriptor_id', 'function_description', 'provider', 'version', 'descriptor_invariant_id', 'name'].map((k) => `        ${k}: pnf-of-a-${k}`), ''].join('\n');
    await ok(await call('PUT', `/nsd/v1/pnf_descriptors/${pnfdInfoId}/pnfd_content`, opA, { payload: pnfdText, contentType: 'text/plain' }), 204);
    const pmJobId = (await ok(await call('POST', '/nspm/v1/pm_jobs', opA, { payload: { objectType: 'NS', objectInstanceIds: [ns.id], criteria: { performanceMetric: ['VCpuUsageMeanVnf'], collectionPeriod: 60, reportingPeriod: 60 } } }), 201)).json<{ id: string }>().id;
    // The report is written straight through the store: the matrix is about who may read it.
    const reportId = 'report-of-a';
    await pmRepository(t.deps.store.db).insertReport({ id: reportId, pmJobId, entries: [{ objectType: 'NS', objectInstanceId: ns.id, performanceMetric: 'VCpuUsageMeanVnf', performanceValues: [{ timeStamp: new Date().toISOString(), value: 1 }] }], readyTime: new Date(), fileSize: 1 });
    const thresholdId = (await ok(await call('POST', '/nspm/v1/thresholds', opA, { payload: { objectType: 'NS', objectInstanceId: ns.id, criteria: { performanceMetric: 'VCpuUsageMeanVnf', thresholdType: 'SIMPLE', simpleThresholdDetails: { thresholdValue: 90, hysteresis: 1 } } } }), 201)).json<{ id: string }>().id;
    const alarm = await monitoring.alarms.raiseFor({ type: 'vnf.down', nsId: ns.id, vnfId: 'vnf-of-a', popId: 'pop-of-a', computeId: 'compute-of-a', at: new Date() });
    // VES agent configs are admin business (credentials); A's PoP has one.
    await ok(await call('POST', '/admin/v1/vims/pop-of-a/vesagent', headers.admin, { payload: VES_BODY(`${cb.url}/ves`) }), 201);
    const apiKeyId = (await ok(await call('POST', '/admin/v1/api_keys', opA, { payload: { name: 'key-of-a' } }), 201)).json<{ id: string }>().id;

    ids = {
      vnfPkgId: vnfPkg.id, nsdInfoId, packageId: pkg.id, vimId: 'pop-of-a', nsInstanceId: ns.id, nsLcmOpOccId: opId, alarmId: alarm!.id,
      lcmSubscriptionId, fmSubscriptionId, nsdSubscriptionId, pkgmSubscriptionId, pmSubscriptionId, pnfdInfoId, pmJobId, reportId, thresholdId, userId: users['operator-a']!.id, apiKeyId, tenant: TENANT_A, artifact: 'ChangeLog.txt',
      policyId: 'auto-heal-firewall', pluginId: MISSING,
    };
    const vnfPkgInfo = (await call('GET', `/vnfpkgm/v1/vnf_packages/${vnfPkg.id}`, opA)).json<{ packageId?: string }>();
    const csarPackages = (await call('GET', '/admin/v1/packages', opA)).json<{ id: string; nsds: { id: string }[]; vnfds: { id: string }[] }[]>();
    idsOfA = [...new Set([
      ...Object.values(ids).filter((v) => v !== 'ChangeLog.txt' && v !== MISSING),
      ...csarPackages.flatMap((p) => [p.id, ...p.nsds.map((n) => n.id), ...p.vnfds.map((v) => v.id)]),
      ...(vnfPkgInfo.packageId ? [vnfPkgInfo.packageId] : []),
    ])];

    // B has resources of its own (the same package on-boards again in another tenant),
    // so B's lists are filtered, not merely empty.
    const pkgB = (await ok(await call('POST', '/admin/v1/packages', opB, { payload: await readFile(files.tango), contentType: 'application/octet-stream' }), 201)).json<{ nsds: { id: string }[] }>();
    nsOfB = (await ok(await call('POST', '/nslcm/v1/ns_instances', opB, { payload: { nsdId: pkgB.nsds[0]!.id, nsName: 'ns-of-b' } }), 201)).json<{ id: string }>().id;
  });

  afterAll(async () => {
    await t?.deps.services.lifecycleWorker?.stop();
    await cb?.stop();
    await t?.close();
  });

  it('every non-public route: anonymous 401, under-privileged 403, cross-tenant 404 like a missing id, lists without A’s ids', async () => {
    const actors: Actor[] = [
      { name: 'anonymous', header: null, ctx: null },
      ...(['operator-b', 'viewer-b', 'viewer-a'] as const).map((n) => ({ name: n, header: headers[n]!, ctx: users[n]!.ctx })),
    ];
    const routes = t.app.authRouteTable.filter((r) => r.method !== 'HEAD' && !r.public && (pass === 'full' || kindOf(r) === 'targeted'));
    expect(routes.length).toBeGreaterThan(pass === 'full' ? 60 : 40);
    const failures: string[] = [];
    const tally = { attempts: 0, rejected: 0, anonymous: 0, underPrivileged: 0, crossTenant: 0, listsFiltered: 0, ownReads: 0, skippedCreates: 0 };
    const vesEndpoint = `${cb.url}/ves`;

    for (const r of routes) {
      const rk = kindOf(r);
      const action = r.action ?? '(none)';
      for (const actor of actors) {
        const label = `${actor.name} ${r.method} ${r.url}`;
        const allowed = actor.ctx !== null && t.auth.policy.allows(action, actor.ctx);
        // Viewers never change anything: the policy must agree before the matrix trusts it.
        if (actor.ctx?.roles.includes('viewer') && stateChanging(r) && allowed) failures.push(`${label}: the policy lets a viewer do ${action}`);
        if (rk === 'stream' && actor.ctx !== null && allowed) continue; // the SSE test below
        if (rk === 'create' && allowed) {
          // Creating in one's own tenant is no attempt on A (B's own creates ran in setup).
          tally.skippedCreates++;
          continue;
        }
        const res = await call(r.method, fill(r.url, ids), actor.header, bodyFor(r, ids, vesEndpoint));
        const owns = actor.ctx !== null && (userOwned(r) ? actor.ctx.userId === users['operator-a']!.id : actor.ctx.tenant === TENANT_A);
        if (actor.ctx === null || !allowed) {
          const want = actor.ctx === null ? 401 : 403;
          tally.attempts++;
          tally[actor.ctx === null ? 'anonymous' : 'underPrivileged']++;
          if (res.statusCode === want) tally.rejected++;
          else failures.push(`${label}: ${res.statusCode}, expected ${want} (${res.body.slice(0, 200)})`);
        } else if (rk === 'list') {
          const ok2xx = res.statusCode >= 200 && res.statusCode < 300;
          if (owns) {
            tally.ownReads++;
            if (!ok2xx) failures.push(`${label}: own-tenant list answered ${res.statusCode} (${res.body.slice(0, 200)})`);
            continue;
          }
          tally.attempts++;
          tally.listsFiltered++;
          const leaked = idsOfA.filter((id) => res.body.includes(id));
          if (ok2xx && leaked.length === 0) tally.rejected++;
          else failures.push(`${label}: ${res.statusCode}, leaked ${leaked.join(', ') || 'nothing'} (${res.body.slice(0, 200)})`);
        } else if (!owns) {
          // Cross-tenant: exactly the answer for an id that does not exist.
          tally.attempts++;
          tally.crossTenant++;
          const missing = await call(r.method, fill(r.url, MISSING_IDS), actor.header, bodyFor(r, MISSING_IDS, vesEndpoint));
          const code = (x: typeof res) => (x.headers['content-type']?.toString().includes('json') ? x.json<{ code?: string }>().code : undefined);
          if (res.statusCode === 404 && missing.statusCode === 404 && code(res) === code(missing)) tally.rejected++;
          else failures.push(`${label}: ${res.statusCode} ${code(res)}, a missing id answers ${missing.statusCode} ${code(missing)} (${res.body.slice(0, 200)})`);
        } else {
          // The owner's tenant reading its own resource: proves the ids are real.
          tally.ownReads++;
          if (stateChanging(r)) failures.push(`${label}: allowed to ${action} (destructive calls are not made as the owner)`);
          else if (res.statusCode < 200 || res.statusCode >= 300) failures.push(`${label}: own-tenant read answered ${res.statusCode} (${res.body.slice(0, 200)})`);
        }
      }
    }
    console.log(
      `auth matrix (${kind}, ${pass}): ${routes.length} routes, ${tally.attempts} attempts, ${tally.rejected} rejected as expected ` +
        `(anonymous ${tally.anonymous}, under-privileged ${tally.underPrivileged}, cross-tenant ${tally.crossTenant}, lists filtered ${tally.listsFiltered}); ` +
        `${tally.ownReads} own-tenant reads 2xx; ${tally.skippedCreates} own-tenant creates not attempted`,
    );
    expect(failures).toEqual([]);
    expect(tally.rejected).toBe(tally.attempts);
    // A's resources are all still there for A.
    for (const url of [`/nslcm/v1/ns_instances/${ids.nsInstanceId}`, `/vnfpkgm/v1/vnf_packages/${ids.vnfPkgId}`, `/nsfm/v1/alarms/${ids.alarmId}`, `/nslcm/v1/subscriptions/${ids.lcmSubscriptionId}`]) {
      expect((await call('GET', url, headers['operator-a']!)).statusCode, url).toBe(200);
    }
    expect((await call('GET', `/nsfm/v1/alarms/${ids.alarmId}`, headers['operator-a']!)).json().ackState).toBe('UNACKNOWLEDGED');
  });

  it('GET /api/events streams each tenant its own NSes’ events only (admins all)', async () => {
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const open = async (who: string) => {
      const ac = new AbortController();
      const res = await fetch(`${url}/api/events`, { headers: { authorization: headers[who]! }, signal: ac.signal });
      expect(res.status, who).toBe(200);
      return { res, ac };
    };
    const streams = { 'viewer-a': await open('viewer-a'), 'viewer-b': await open('viewer-b'), 'operator-b': await open('operator-b'), admin: await open('admin') };
    // Wait for every hello: the clients are registered once it arrived.
    const readers = Object.fromEntries(Object.entries(streams).map(([who, s]) => [who, readSseFrames(s.res)])) as Record<keyof typeof streams, ReturnType<typeof readSseFrames>>;
    for (const r of Object.values(readers)) await r.next((f) => f.event === 'rondo.hello');
    const vnf = (nsId: string, vnfId: string) => ({ type: 'vnf.down' as const, nsId, vnfId, popId: 'pop', computeId: `c-${vnfId}`, at: new Date() });
    // A's events (lifecycle, VNF, alarm), then a marker of B's NS, then one of A's.
    // An operation change of A's NS on the event bus (as the outbox relay publishes one); the in-process bus hands it to the stream before it resolves.
    const opOfA = await t.deps.services.lifecycle.getOp(ids.nsLcmOpOccId);
    await t.deps.services.bus?.publish('op.changed', {
      opId: opOfA.id, nsInstanceId: opOfA.nsInstanceId, operationState: 'PARTIALLY_COMPLETED', previousState: opOfA.operationState, lcmOperationType: opOfA.lcmOperationType,
      tenant: opOfA.tenant, isAutomaticInvocation: false, startTime: opOfA.startTime, statusEnteredTime: new Date().toISOString(), error: null,
    }, { key: opOfA.nsInstanceId });
    monitoring.bus.publish('vnf.down', vnf(ids.nsInstanceId, 'secret-vnf-of-a'));
    await monitoring.alarms.raiseFor(vnf(ids.nsInstanceId, 'second-vnf-of-a'));
    monitoring.bus.publish('vnf.down', vnf(nsOfB, 'marker-of-b'));
    monitoring.bus.publish('vnf.down', vnf(ids.nsInstanceId, 'marker-of-a'));
    const until = (marker: string) => (f: { data?: string }) => (f.data ?? '').includes(marker);
    const seen: Record<string, string[]> = {};
    for (const who of ['viewer-b', 'operator-b'] as const) seen[who] = (await readers[who].next(until('marker-of-b'))).map((f) => f.data ?? '');
    for (const who of ['viewer-a', 'admin'] as const) seen[who] = (await readers[who].next(until('marker-of-a'))).map((f) => f.data ?? '');
    for (const s of Object.values(streams)) s.ac.abort();

    for (const who of ['viewer-b', 'operator-b']) {
      const leaked = seen[who]!.filter((d) => idsOfA.some((id) => d.includes(id)) || d.includes('of-a'));
      expect(leaked, who).toEqual([]);
    }
    const aTopics = (who: string) => seen[who]!.filter((d) => d.includes(ids.nsInstanceId)).map((d) => JSON.parse(d).topic as string);
    expect(aTopics('viewer-a')).toEqual(['op.changed', 'vnf.down', 'alarm.raised', 'vnf.down']);
    expect(seen['viewer-a']!.some((d) => d.includes('marker-of-b'))).toBe(false);
    expect(aTopics('admin')).toEqual(['op.changed', 'vnf.down', 'alarm.raised', 'vnf.down']);
    expect(seen.admin!.some((d) => d.includes('marker-of-b'))).toBe(true);
    console.log(`auth matrix (${kind}): SSE — B's 2 streams got ${seen['viewer-b']!.length + seen['operator-b']!.length} frames, none of A's; A's viewer got ${aTopics('viewer-a').length} of A's events`);
  });

  it('notifications reach only subscriptions of the NS’s tenant, and admins’ (who see every tenant)', async () => {
    // The admin is of tenant `default`, not A's: an admin's subscription hears every tenant.
    const adminSub = await call('POST', '/nslcm/v1/subscriptions', headers.admin ?? null, { payload: { callbackUri: `${cb.url}/admin/lcm` } });
    expect(adminSub.statusCode, adminSub.body).toBe(201);
    const op = await t.deps.services.lifecycle.getOp(ids.nsLcmOpOccId);
    await monitoring.notifications.publishLcm(op, 'RESULT');
    await monitoring.notifications.idle();
    const paths = (prefix: string) => cb.requests.filter((r) => r.method === 'POST' && r.path.startsWith(prefix));
    // The alarm raised in setup (and in the SSE test) went to A's FM subscription only.
    expect(paths('/a/lcm').map((r) => r.body?.nsInstanceId)).toEqual([ids.nsInstanceId]);
    expect(paths('/a/fm').length).toBeGreaterThanOrEqual(1);
    expect(paths('/admin/lcm').map((r) => r.body?.nsInstanceId)).toEqual([ids.nsInstanceId]);
    expect(paths('/b/')).toEqual([]);
  });
});
