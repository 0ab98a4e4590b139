import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { loadConfig } from '../../src/config/index.js';
import type { RondoApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { ROUTE_PLUGINS } from '../../src/api/route-plugins.js';
import { authRoutePlugins } from '../../src/api/http/auth-route-plugins.js';
import { createAuthService } from '../../src/auth/index.js';
import type { AuthService } from '../../src/auth/index.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import type { Clock } from '../../src/model/index.js';
import { authRepositories } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import type { VimDriver } from '../../src/vim/vim-driver.js';
import { createMemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import type { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import { buildPackage } from '../../src/packages/index.js';
import { buildExamplePackages, counterIds } from '../support/app.js';
import { openTestStore } from '../support/store.js';
import { CallbackServer } from '../support/callback-server.js';
import { bearer, TEST_KEY, TEST_SCRYPT } from '../integration/auth-support.js';
import type { Answer, SetupName, Vars } from './types.js';

/**
 * A fresh Rondo for the replay: the real composition with authentication on (an admin
 * user whose bearer token every case sends unless it tests authentication), PGlite, one
 * memory PoP, the lifecycle worker and monitoring running, and a callback server for the
 * subscriptions. Everything a case needs is made through the public API (`SETUPS`).
 */

const ADMIN_PASSWORD = 'conformance-admin-password-1';
const T0 = Date.parse('2025-01-01T00:00:00Z');
/** An id that names nothing. */
export const MISSING = '00000000-0000-4000-8000-0000deadbeef';

/** A SOL001 PNFD (one file), as `tosca.nodes.nfv.PNF` requires. */
export const PNFD_YAML = [
  'tosca_definitions_version: tosca_simple_yaml_1_2',
  'description: conformance PNF',
  'imports:',
  '  - etsi_nfv_sol001_pnfd_types.yaml',
  'topology_template:',
  '  node_templates:',
  '    appliance:',
  '      type: tosca.nodes.nfv.PNF',
  '      properties:',
  '        descriptor_id: 6f1c0a52-3f2e-4e7b-9d55-0c0f0000a001',
  '        function_description: conformance appliance',
  '        provider: Rondo',
  "        version: '1.0'",
  '        descriptor_invariant_id: 6f1c0a52-3f2e-4e7b-9d55-0c0f0000a000',
  '        name: conformance-pnf',
  '',
].join('\n');

/**
 * `examples/sol004-csar` (a VNF package with an NSD that imports a types file) as version
 * 1.`n`, with its own descriptor ids: Rondo refuses a second on-boarding of the same
 * package, so every case that on-boards a package anew gets its own variant.
 */
async function csarVariant(root: string, n: number, vnfOnly: boolean): Promise<Buffer> {
  const dir = join(root, `csar-${n}`);
  await cp('examples/sol004-csar', dir, { recursive: true });
  if (vnfOnly) {
    // Without its NSD, no NSD refers to the package, so it can be deleted once DISABLED.
    await rm(join(dir, 'Definitions/relay_ns.nsd.yaml'));
    const meta = join(dir, 'TOSCA-Metadata/TOSCA.meta');
    await writeFile(meta, (await readFile(meta, 'utf8')).replace(/^Other-Definitions:.*\n/m, ''));
  }
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.(ya?ml|mf)$/.test(e.name)) {
        const text = (await readFile(p, 'utf8'))
          .replaceAll("'1.0'", `'1.${n}'`)
          .replaceAll('relay0000001', `relay${String(n).padStart(7, '0')}`)
          .replaceAll('relayns00001', `relayns${String(n).padStart(5, '0')}`);
        await writeFile(p, text);
      }
    }
  };
  await walk(dir);
  await buildPackage(dir, `${dir}.zip`);
  return readFile(`${dir}.zip`);
}

/** A memory driver whose `createCompute` waits while `gate.closed`, to hold an operation in PROCESSING. */
function gated(driver: MemoryVimDriver, gate: Gate): VimDriver {
  return new Proxy(driver, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'createCompute' && typeof v === 'function') {
        return async (...args: unknown[]) => {
          await gate.wait();
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as VimDriver;
}

class Gate {
  #open: Promise<void> = Promise.resolve();
  #release: (() => void) | null = null;
  close(): void {
    if (this.#release) return;
    this.#open = new Promise((resolve) => (this.#release = resolve));
  }
  open(): void {
    this.#release?.();
    this.#release = null;
  }
  wait(): Promise<void> {
    return this.#open;
  }
}

export interface Fixture {
  /** Sends a request as the admin (or as `auth` says). */
  send(opts: InjectOptions, auth?: 'none' | 'bad'): Promise<Answer>;
  /** A package file for a request body; `freshCsar` is a CSAR variant never on-boarded before. */
  file(name: 'csar' | 'tango' | 'pnfdYaml' | 'nsdYaml' | 'badYaml' | 'junk' | 'freshCsar' | 'freshVnfCsar'): Promise<Buffer>;
  /** Values every case may use: `{missing}`, `{callback}` (the callback server), `{pkgUri}` (a fresh CSAR variant served over HTTP). */
  readonly base: Vars;
  /** The vars of a setup: made once for shared setups, anew for `fresh…` ones. */
  setup(name: SetupName): Promise<Vars>;
  /** Undoes what a case's setup held (the compute gate). */
  afterCase(): void;
  readonly files: Readonly<Record<'csar' | 'tango' | 'pnfdYaml' | 'nsdYaml' | 'badYaml' | 'junk', Buffer>>;
  /** Waits (bounded) for a notification of `type` that `match` accepts, received by the subscriptions' callback. */
  notification(type: string, match: (n: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

export function toAnswer(r: { statusCode: number; headers: Record<string, string | string[] | number | undefined>; body: string; rawPayload: Buffer }): Answer {
  return { status: r.statusCode, headers: r.headers, body: r.body, raw: r.rawPayload, json: () => JSON.parse(r.body) as unknown };
}

export async function openFixture(): Promise<Fixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-conformance-'));
  const built = await buildExamplePackages(await mkdtemp(join(tmpdir(), 'rondo-conformance-pkgs-')));
  const files: Record<'csar' | 'tango' | 'pnfdYaml' | 'nsdYaml' | 'badYaml' | 'junk', Buffer> = {
    csar: await readFile(built.csar),
    tango: await readFile(built.tango),
    pnfdYaml: Buffer.from(PNFD_YAML),
    /** The tango NSD's own file, read back once it is on-boarded (a single-file NSD). */
    nsdYaml: Buffer.alloc(0),
    badYaml: Buffer.from('not: [a descriptor'),
    junk: Buffer.from('PK\u0003\u0004 not a zip'),
  };
  await rm(join(built.csar, '..'), { recursive: true, force: true });
  // CSAR variants are built when a case needs one (each on-boarding needs its own).
  const variantDir = await mkdtemp(join(tmpdir(), 'rondo-conformance-variants-'));
  let variantNo = 0;
  const freshCsar = (): Promise<Buffer> => csarVariant(variantDir, ++variantNo, false);
  const freshVnfCsar = (): Promise<Buffer> => csarVariant(variantDir, ++variantNo, true);

  const env = { RONDO_SECRET_KEY: TEST_KEY, RONDO_ADMIN_USER: 'admin', RONDO_ADMIN_PASSWORD: ADMIN_PASSWORD };
  // A small page, so the paged-response cases see a Link header on a handful of records.
  const config = loadConfig(env, { dataDir, logLevel: 'silent', opDeadlineSeconds: 60, pageSize: 3, auth: { rateLimit: { burst: 1_000_000, perSecond: 1_000_000 } } });
  const store: Store = await openTestStore('pglite', 'conformance');
  let now = T0;
  const clock: Clock = { now: () => new Date(now++) };
  const ids = counterIds();
  const auth: AuthService = createAuthService({ repos: authRepositories(store.db), clock, ids, dataDir, env, config: config.auth, scrypt: TEST_SCRYPT });
  const gate = new Gate();
  const driver = createMemoryVimDriver({ name: 'engine-a', popId: 'dc1' });
  let composition: Composition;
  try {
    composition = await compose({
      config, store, clock, ids, env, auth,
      vimDrivers: { memory: () => gated(driver, gate) },
      http: { plugins: [...authRoutePlugins(auth, { now: () => 0 }), ...ROUTE_PLUGINS] },
    });
  } catch (e) {
    await auth.close();
    await store.close();
    throw e;
  }
  const app = composition.app as RondoApp;
  const deps: AppDeps = composition.deps;
  const callback = new CallbackServer();
  await callback.start();
  const pkgServer = createServer((req, res) => {
    if (req.url === '/relay.zip') {
      void freshVnfCsar().then((b) => res.writeHead(200, { 'content-type': 'application/zip' }).end(b), () => res.writeHead(500).end());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => pkgServer.listen(0, '127.0.0.1', () => r()));
  const pkgUri = `http://127.0.0.1:${(pkgServer.address() as AddressInfo).port}/relay.zip`;
  await auth.ensureBootstrapAdmin();
  const token = await bearer(app, 'admin', ADMIN_PASSWORD);

  const send = async (opts: InjectOptions, how?: 'none' | 'bad'): Promise<Answer> => {
    const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers as Record<string, string> | undefined) };
    if (how === 'bad') headers.authorization = 'Bearer not-a-token';
    else if (how !== 'none') headers.authorization = token;
    return toAnswer(await app.inject({ ...opts, headers }));
  };
  const ok = async (opts: InjectOptions, status: number): Promise<Answer> => {
    const r = await send(opts);
    if (r.status !== status) throw new Error(`${opts.method} ${opts.url}: ${r.status} ${r.body.slice(0, 300)}`);
    return r;
  };
  const json = (r: Answer) => r.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const mergePatch = { 'content-type': 'application/merge-patch+json' };

  await ok({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'dc1', type: 'memory', endpoint: 'memory://engine-a', capacity: { cpu: 256, memoryMiB: 262144 } } }, 201);
  await composition.start({ monitoring: true, worker: true, reconciler: false });
  // One catch-all subscription per API: the notification cases look for what it receives.
  for (const api of ['nsd', 'vnfpkgm', 'nslcm', 'nsfm', 'nspm']) await ok({ method: 'POST', url: `/${api}/v1/subscriptions`, payload: { callbackUri: `${callback.url}/all/${api}` } }, 201);

  const waitOp = async (location: string): Promise<Record<string, unknown>> => {
    const id = location.split('/').pop() as string;
    await deps.services.lifecycle.waitForOp(id, { timeoutMs: 20_000 });
    return json(await ok({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${id}` }, 200));
  };
  const until = async (what: string, probe: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 400; i++) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  const newNsd = async (): Promise<Vars> => {
    const id = json(await ok({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: { userDefinedData: { origin: 'conformance' } } }, 201)).id as string;
    return { nsdInfoId: id };
  };
  const onboardNsd = async (file: Buffer): Promise<Vars> => {
    const { nsdInfoId } = await newNsd();
    await ok({ method: 'PUT', url: `/nsd/v1/ns_descriptors/${nsdInfoId}/nsd_content`, payload: file, headers: { 'content-type': 'application/zip' } }, 202);
    let info: Record<string, unknown> = {};
    await until('NSD on-boarding', async () => (info = json(await ok({ method: 'GET', url: `/nsd/v1/ns_descriptors/${nsdInfoId}` }, 200))).nsdOnboardingState === 'ONBOARDED');
    return { nsdInfoId: nsdInfoId!, nsdId: info.nsdId as string, etag: '' };
  };
  const newPnfd = async (): Promise<Vars> => ({ pnfdInfoId: json(await ok({ method: 'POST', url: '/nsd/v1/pnf_descriptors', payload: { userDefinedData: { site: 'edge' } } }, 201)).id as string });
  const onboardPnfd = async (): Promise<Vars> => {
    const { pnfdInfoId } = await newPnfd();
    await ok({ method: 'PUT', url: `/nsd/v1/pnf_descriptors/${pnfdInfoId}/pnfd_content`, payload: PNFD_YAML, headers: { 'content-type': 'text/plain' } }, 204);
    return { pnfdInfoId: pnfdInfoId! };
  };
  const newPkg = async (): Promise<Vars> => ({ vnfPkgId: json(await ok({ method: 'POST', url: '/vnfpkgm/v1/vnf_packages', payload: { userDefinedData: { origin: 'conformance' } } }, 201)).id as string });
  const onboardPkg = async (): Promise<Vars> => {
    const { vnfPkgId } = await newPkg();
    await ok({ method: 'PUT', url: `/vnfpkgm/v1/vnf_packages/${vnfPkgId}/package_content`, payload: await freshVnfCsar(), headers: { 'content-type': 'application/zip' } }, 202);
    let info: Record<string, unknown> = {};
    await until('VNF package on-boarding', async () => (info = json(await ok({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${vnfPkgId}` }, 200))).onboardingState === 'ONBOARDED');
    const artifact = ((info.additionalArtifacts as { artifactPath: string }[] | undefined) ?? [])[0]?.artifactPath ?? 'ChangeLog.txt';
    return { vnfPkgId: vnfPkgId!, artifactPath: artifact };
  };
  let subs = 0;
  const subscribe = async (url: string, body: Record<string, unknown> = {}): Promise<Vars> => {
    const r = await ok({ method: 'POST', url, payload: { callbackUri: `${callback.url}/setup/${++subs}${url}`, ...body } }, 201);
    return { subscriptionId: json(r).id as string };
  };
  /** The tango NSD, on-boarded once (the promise, so concurrent setups share it). */
  let tango: Promise<Vars> | undefined;
  const tangoNsd = (): Promise<Vars> =>
    (tango ??= (async () => {
      const v = await onboardNsd(files.tango);
      // The same NSD as its own single file, one version up (the on-boarded one stays).
      const text = (await ok({ method: 'GET', url: `/nsd/v1/ns_descriptors/${v.nsdInfoId}/nsd_content`, headers: { accept: 'text/plain' } }, 200)).body;
      files.nsdYaml = Buffer.from(text.replace(/^version: "0\.1"$/m, 'version: "0.2"'));
      return v;
    })());
  const newNs = async (): Promise<Vars> => {
    const { nsdId } = await tangoNsd();
    const r = await ok({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName: 'conformance', nsDescription: 'NFV-TST010 replay' } }, 201);
    return { nsInstanceId: json(r).id as string };
  };
  const instantiate = async (nsInstanceId: string, autoRollback = true): Promise<string> => {
    const r = await ok({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsInstanceId}/instantiate`, payload: { nsFlavourId: 'default', additionalParamsForNs: { placement: 'first-pop', autoRollback } } }, 202);
    return r.headers.location as string;
  };
  const instantiatedNs = async (): Promise<Vars> => {
    const { nsInstanceId } = await newNs();
    const op = await waitOp(await instantiate(nsInstanceId!));
    if (op.operationState !== 'COMPLETED') throw new Error(`instantiate ended ${String(op.operationState)}`);
    const ns = json(await ok({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsInstanceId}` }, 200));
    const vnfs = ns.vnfInstance as { id: string; vnfInstanceName?: string; vnfProductName?: string }[];
    const scalable = vnfs.find((v) => /firewall/.test(`${v.vnfInstanceName ?? ''} ${v.vnfProductName ?? ''}`)) ?? vnfs[0]!;
    return { nsInstanceId: nsInstanceId!, nsLcmOpOccId: op.id as string, vnfInstanceId: vnfs[0]!.id, scalableVnfId: scalable.id };
  };
  const failedTempOp = async (): Promise<Vars> => {
    const { nsInstanceId } = await newNs();
    driver.failNext('createCompute');
    const op = await waitOp(await instantiate(nsInstanceId!, false));
    if (op.operationState !== 'FAILED_TEMP') throw new Error(`the failed instantiate ended ${String(op.operationState)}`);
    return { nsInstanceId: nsInstanceId!, nsLcmOpOccId: op.id as string };
  };
  const processingOp = async (): Promise<Vars> => {
    const { nsInstanceId } = await newNs();
    gate.close();
    const location = await instantiate(nsInstanceId!);
    const id = location.split('/').pop() as string;
    await until('a PROCESSING operation', async () => json(await ok({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${id}` }, 200)).operationState === 'PROCESSING');
    return { nsInstanceId: nsInstanceId!, nsLcmOpOccId: id };
  };
  const alarm = async (): Promise<Vars> => {
    const { nsInstanceId, vnfInstanceId } = await instantiatedNs();
    const ns = json(await ok({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsInstanceId}` }, 200));
    const computeId = ns.vnfInstance[0].instantiatedVnfInfo.vnfcResourceInfo[0].computeResource.resourceId as string;
    driver.kill(computeId, { exitCode: 137 });
    let id = '';
    await until('an alarm', async () => {
      const list = json(await ok({ method: 'GET', url: `/nsfm/v1/alarms?filter=(eq,managedObjectId,${nsInstanceId})` }, 200)) as unknown as { id: string }[];
      id = list[0]?.id ?? '';
      return id !== '';
    });
    return { nsInstanceId: nsInstanceId!, vnfInstanceId: vnfInstanceId!, alarmId: id };
  };
  const pmJob = async (): Promise<Vars> => {
    const { nsInstanceId } = await shared('instantiatedNs');
    const r = await ok({ method: 'POST', url: '/nspm/v1/pm_jobs', payload: { objectType: 'NS', objectInstanceIds: [nsInstanceId], criteria: { performanceMetric: ['VCpuUsageMeanVnf'], collectionPeriod: 10, reportingPeriod: 20 } } }, 201);
    return { nsInstanceId: nsInstanceId!, pmJobId: json(r).id as string };
  };
  const pmReport = async (): Promise<Vars> => {
    const vars = await pmJob();
    const ns = json(await ok({ method: 'GET', url: `/nslcm/v1/ns_instances/${vars.nsInstanceId}` }, 200));
    const vnf = ns.vnfInstance[0];
    const computeId = vnf.instantiatedVnfInfo.vnfcResourceInfo[0].computeResource.resourceId as string;
    const monitoring = deps.services.monitoring!;
    const base = now;
    const stats = (s: number) => ({
      computeId, at: new Date(base + s * 1000), cpuPercent: 25, onlineCpus: 1, memoryBytes: 100 * 1024 * 1024, memoryLimitBytes: 1000 * 1024 * 1024,
      interfaces: [{ name: 'eth0', rxBytes: s * 100, txBytes: 0, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 }],
    });
    for (const s of [1, 5, 12]) {
      monitoring.bus.publish('vnf.stats', { nsId: vars.nsInstanceId!, vnfId: String(vnf.memberId), popId: 'dc1', computeId, stats: stats(s) });
      await monitoring.pm.settled();
    }
    now = base + 60_000;
    await monitoring.pm.tick();
    let href = '';
    await until('a performance report', async () => {
      const job = json(await ok({ method: 'GET', url: `/nspm/v1/pm_jobs/${vars.pmJobId}` }, 200));
      href = (job.reports as { href: string }[] | undefined)?.[0]?.href ?? '';
      return href !== '';
    });
    return { ...vars, reportId: href.split('/').pop() as string };
  };
  const threshold = async (): Promise<Vars> => {
    const { nsInstanceId } = await shared('instantiatedNs');
    const r = await ok({ method: 'POST', url: '/nspm/v1/thresholds', payload: { objectType: 'NS', objectInstanceId: nsInstanceId, criteria: { performanceMetric: 'VCpuUsageMeanVnf', thresholdType: 'SIMPLE', simpleThresholdDetails: { thresholdValue: 90, hysteresis: 5 } } } }, 201);
    return { nsInstanceId: nsInstanceId!, thresholdId: json(r).id as string };
  };
  const crossedThreshold = async (): Promise<Vars> => {
    const vars = await instantiatedNs();
    const r = await ok({ method: 'POST', url: '/nspm/v1/thresholds', payload: { objectType: 'NS', objectInstanceId: vars.nsInstanceId, criteria: { performanceMetric: 'VCpuUsageMeanVnf', thresholdType: 'SIMPLE', simpleThresholdDetails: { thresholdValue: 50, hysteresis: 5 } } } }, 201);
    const ns = json(await ok({ method: 'GET', url: `/nslcm/v1/ns_instances/${vars.nsInstanceId}` }, 200));
    const vnf = ns.vnfInstance[0];
    const computeId = vnf.instantiatedVnfInfo.vnfcResourceInfo[0].computeResource.resourceId as string;
    const monitoring = deps.services.monitoring!;
    monitoring.bus.publish('vnf.stats', {
      nsId: vars.nsInstanceId!, vnfId: String(vnf.memberId), popId: 'dc1', computeId,
      stats: { computeId, at: new Date(now), cpuPercent: 90, onlineCpus: 1, memoryBytes: 1, memoryLimitBytes: 1000, interfaces: [] },
    });
    await monitoring.pm.settled();
    return { ...vars, thresholdId: json(r).id as string };
  };

  const SETUPS: Record<SetupName, () => Promise<Vars>> = {
    none: async () => ({}),
    onboardedNsd: tangoNsd,
    freshOnboardedNsd: async () => onboardNsd(await freshCsar()),
    freshDisabledNsd: async () => {
      const v = await onboardNsd(await freshCsar());
      await ok({ method: 'PATCH', url: `/nsd/v1/ns_descriptors/${v.nsdInfoId}`, payload: JSON.stringify({ nsdOperationalState: 'DISABLED' }), headers: mergePatch }, 200);
      return v;
    },
    createdNsd: newNsd,
    freshCreatedNsd: newNsd,
    multiFileNsd: async () => onboardNsd(await freshCsar()),
    onboardedPnfd: onboardPnfd,
    freshOnboardedPnfd: onboardPnfd,
    createdPnfd: newPnfd,
    freshCreatedPnfd: newPnfd,
    onboardedPkg: onboardPkg,
    freshDisabledPkg: async () => {
      const v = await onboardPkg();
      await ok({ method: 'PATCH', url: `/vnfpkgm/v1/vnf_packages/${v.vnfPkgId}`, payload: JSON.stringify({ operationalState: 'DISABLED' }), headers: mergePatch }, 200);
      return v;
    },
    createdPkg: newPkg,
    freshCreatedPkg: newPkg,
    singleFileVnfdPkg: async () => {
      // The tango NSD's VNF packages: their VNFDs are one file each.
      const { nsdInfoId } = await tangoNsd();
      const info = json(await ok({ method: 'GET', url: `/nsd/v1/ns_descriptors/${nsdInfoId}` }, 200));
      return { vnfPkgId: (info.vnfPkgIds as string[])[0]! };
    },
    nsdSubscription: () => subscribe('/nsd/v1/subscriptions'),
    freshNsdSubscription: () => subscribe('/nsd/v1/subscriptions'),
    pkgSubscription: () => subscribe('/vnfpkgm/v1/subscriptions'),
    freshPkgSubscription: () => subscribe('/vnfpkgm/v1/subscriptions'),
    notInstantiatedNs: newNs,
    freshNotInstantiatedNs: newNs,
    instantiatedNs,
    freshInstantiatedNs: instantiatedNs,
    completedOp: () => shared('instantiatedNs'),
    freshFailedTempOp: failedTempOp,
    processingOp,
    lcmSubscription: () => subscribe('/nslcm/v1/subscriptions'),
    freshLcmSubscription: () => subscribe('/nslcm/v1/subscriptions'),
    alarm,
    freshAlarm: alarm,
    acknowledgedAlarm: async () => {
      const v = await alarm();
      await ok({ method: 'PATCH', url: `/nsfm/v1/alarms/${v.alarmId}`, payload: JSON.stringify({ ackState: 'ACKNOWLEDGED' }), headers: mergePatch }, 200);
      return v;
    },
    fmSubscription: () => subscribe('/nsfm/v1/subscriptions'),
    freshFmSubscription: () => subscribe('/nsfm/v1/subscriptions'),
    pmJob,
    freshPmJob: pmJob,
    pmReport,
    threshold,
    freshThreshold: threshold,
    crossedThreshold,
    nsdPage: async () => {
      for (let i = 0; i < 4; i++) await newNsd();
      return {};
    },
    pnfdPage: async () => {
      for (let i = 0; i < 4; i++) await newPnfd();
      return {};
    },
    thresholdPage: async () => {
      for (let i = 0; i < 4; i++) await threshold();
      return {};
    },
    pmSubscription: () => subscribe('/nspm/v1/subscriptions'),
    freshPmSubscription: () => subscribe('/nspm/v1/subscriptions'),
  };
  const made = new Map<SetupName, Promise<Vars>>();
  function shared(name: SetupName): Promise<Vars> {
    let p = made.get(name);
    if (!p) {
      p = SETUPS[name]();
      made.set(name, p);
    }
    return p;
  }

  return {
    send,
    files,
    base: { missing: MISSING, pkgUri, callback: callback.url },
    file: async (name) => (name === 'freshCsar' ? freshCsar() : name === 'freshVnfCsar' ? freshVnfCsar() : files[name]),
    setup: (name) => (name.startsWith('fresh') ? SETUPS[name]() : shared(name)),
    afterCase: () => gate.open(),
    async notification(type, match) {
      const find = () => callback.requests.find((r) => r.method === 'POST' && r.body?.notificationType === type && match(r.body))?.body ?? undefined;
      for (let i = 0; i < 200 && !find(); i++) await new Promise((r) => setTimeout(r, 25));
      return find();
    },
    async close() {
      gate.open();
      await composition.close();
      await auth.close();
      await store.close();
      await callback.stop();
      await new Promise<void>((r) => pkgServer.close(() => r()));
      await rm(dataDir, { recursive: true, force: true });
      await rm(variantDir, { recursive: true, force: true });
    },
  };
}
