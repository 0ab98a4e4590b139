import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import { catalogRepositories } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { nsdRepository, packageRepository, vnfdRepository, ONBOARDING_STATES, OPERATIONAL_STATES, USAGE_STATES } from '../../src/store/catalog-store.js';
import { releaseNsd, useNsd } from '../../src/catalog/index.js';
import type { Nsd, Vnfd } from '../../src/model/index.js';
import { isRondoError } from '../../src/model/index.js';

const at = new Date('2025-01-01T00:00:00Z');
const now = () => at;
const vnfd = (name: string): Vnfd => ({
  descriptorId: `eu.test.${name}.1.0`,
  ref: { vendor: 'eu.test', name, version: '1.0' },
  format: 'tango',
  vdus: [],
  connectionPoints: [],
  monitoringParameters: [],
  scalingAspects: [],
  startCommands: [],
  stopCommands: [],
  source: { name },
});
const nsd: Nsd = {
  descriptorId: 'eu.test.ns.1.0',
  ref: { vendor: 'eu.test', name: 'ns', version: '1.0' },
  format: 'tango',
  vnfs: [{ vnfId: 'a', vnfd: { vendor: 'eu.test', name: 'a', version: '1.0' } }],
  saps: [],
  virtualLinks: [],
  forwardingGraphs: [],
  source: {},
};
const pkg = (id: string, version = '1.0') => ({
  id,
  format: 'tango' as const,
  vendor: 'eu.test',
  name: 'pkg',
  version,
  description: null,
  fileName: 'p.tgo',
  contentType: null,
  size: 5_000_000_000,
  sha1: 'aa',
  sha256: 'bb',
  files: [{ path: 'Definitions/a.yaml', size: 1, sha256: 'cc' }],
  metadata: { napd: true },
  createdAt: at,
});
const code = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (isRondoError(e) ? e.code : `raw:${(e as Error).message}`));

describe.each(STORE_KINDS)('catalog repositories on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind, `catalog-repositories-${kind}`);
  });
  afterAll(async () => store?.close());

  it('CHECK constraints hold exactly the TypeScript state lists', async () => {
    const r = await sql<{ def: string }>`select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'vnfds'::regclass and contype = 'c'`.execute(store.db);
    const defs = r.rows.map((x) => x.def).join('\n');
    for (const s of [...ONBOARDING_STATES, ...OPERATIONAL_STATES, ...USAGE_STATES]) expect(defs).toContain(`'${s}'`);
    await expect(
      sql`insert into vnfds (id, onboarding_state, operational_state, created_at, updated_at) values ('x', 'onboarded', 'ENABLED', now(), now())`.execute(store.db),
    ).rejects.toThrow();
  });

  it('packages: insert, read back (bigint size, jsonb), list, duplicate → PACKAGE_EXISTS', async () => {
    const repo = packageRepository(store.db);
    const p = await repo.insert(pkg('p1'));
    expect(p).toMatchObject({ id: 'p1', tenant: 'default', size: 5_000_000_000, files: [{ path: 'Definitions/a.yaml' }], metadata: { napd: true } });
    expect(await repo.get('p1')).toEqual(p);
    expect((await repo.list('default')).map((x) => x.id)).toEqual(['p1']);
    expect(await code(repo.insert(pkg('p2')))).toBe('PACKAGE_EXISTS');
    expect(await repo.get('p2')).toBeUndefined();
  });

  it('VnfPkgInfo: guarded onboarding transitions; a wrong expected state is STATE_CONFLICT, a missing row NOT_FOUND', async () => {
    const repo = vnfdRepository(store.db, now);
    const v = await repo.create('v1', { team: 'x' });
    expect(v).toMatchObject({ onboardingState: 'CREATED', operationalState: 'DISABLED', usageState: 'NOT_IN_USE', userDefinedData: { team: 'x' } });
    await repo.moveOnboarding('v1', ['CREATED'], 'UPLOADING');
    expect(await code(repo.moveOnboarding('v1', ['CREATED'], 'UPLOADING'))).toBe('STATE_CONFLICT');
    expect(await code(repo.moveOnboarding('nope', ['CREATED'], 'UPLOADING'))).toBe('NOT_FOUND');
    expect(await code(repo.completeOnboarding('v1', { packageId: 'p1', vendor: 'eu.test', name: 'a', version: '1.0', format: 'tango', file: 'Definitions/a.yaml' }, vnfd('a')))).toBe('STATE_CONFLICT');
    await repo.moveOnboarding('v1', ['UPLOADING'], 'PROCESSING');
    const done = await repo.completeOnboarding('v1', { packageId: 'p1', vendor: 'eu.test', name: 'a', version: '1.0', format: 'tango', file: 'Definitions/a.yaml' }, vnfd('a'));
    expect(done).toMatchObject({ onboardingState: 'ONBOARDED', operationalState: 'ENABLED', vnfdId: 'eu.test.a.1.0', packageId: 'p1' });
    expect(done.descriptor?.source).toEqual({ name: 'a' });
    expect((await repo.findOnboarded('default', { vendor: 'eu.test', name: 'a', version: '1.0' }))?.id).toBe('v1');
    expect((await repo.findOnboarded('default', { descriptorId: 'eu.test.a.1.0' }))?.id).toBe('v1');
    expect(await code(repo.insertOnboarded('v2', { packageId: 'p1', vendor: 'eu.test', name: 'a', version: '1.0', format: 'tango', file: 'x' }, vnfd('a')))).toBe('VNFD_EXISTS');
  });

  it('usage: useNsd/releaseNsd count instances on the NSD and its VNFDs; delete only NOT_IN_USE and DISABLED', async () => {
    const nsds = nsdRepository(store.db, now);
    const vnfds = vnfdRepository(store.db, now);
    await nsds.insertOnboarded('n1', { packageId: 'p1', vendor: 'eu.test', name: 'ns', version: '1.0', format: 'tango', file: 'Definitions/nsd.yaml', vnfdIds: ['v1'] }, nsd);
    expect(await vnfds.referencingNsds('v1')).toEqual(['n1']);
    await useNsd(catalogRepositories(store.db, now), 'n1');
    await useNsd(catalogRepositories(store.db, now), 'n1');
    expect((await nsds.get('n1'))).toMatchObject({ usageState: 'IN_USE', usageCount: 2 });
    expect((await vnfds.get('v1'))).toMatchObject({ usageState: 'IN_USE', usageCount: 2 });
    await nsds.setOperational('n1', 'DISABLED');
    expect(await code(nsds.deleteGuarded('n1', true))).toBe('STATE_CONFLICT');
    expect(await code(useNsd(catalogRepositories(store.db, now), 'n1'))).toBe('STATE_CONFLICT');
    await releaseNsd(catalogRepositories(store.db, now), 'n1');
    expect((await nsds.get('n1'))).toMatchObject({ usageState: 'IN_USE', usageCount: 1 });
    await releaseNsd(catalogRepositories(store.db, now), 'n1');
    await releaseNsd(catalogRepositories(store.db, now), 'n1');
    expect((await nsds.get('n1'))).toMatchObject({ usageState: 'NOT_IN_USE', usageCount: 0 });
    expect((await vnfds.get('v1'))).toMatchObject({ usageState: 'NOT_IN_USE', usageCount: 0 });
    await nsds.deleteGuarded('n1', true);
    expect(await nsds.get('n1')).toBeUndefined();
    expect(await packageRepository(store.db).deleteIfUnreferenced('p1')).toBe(false); // v1 still points at it
  });

  it('batch insert: records in the given order; a duplicate (in the catalog or earlier in the list) is VNFD_EXISTS naming it, and nothing of the batch stays', async () => {
    await packageRepository(store.db).insert(pkg('p5', '5.0'));
    const content = (name: string) => ({ packageId: 'p5', vendor: 'eu.test', name, version: '1.0', format: 'tango' as const, file: `Definitions/${name}.yaml` });
    const row = (id: string, name: string) => ({ id, content: content(name), vnfd: vnfd(name) });
    const conflict = async (rows: ReturnType<typeof row>[]) =>
      store.db.transaction().execute((trx) => vnfdRepository(trx, now).insertOnboardedMany(rows)).then(
        () => undefined,
        (e: unknown) => (isRondoError(e) ? { code: e.code, details: e.details } : e),
      );
    // `a` is on-boarded by the test above: the first clash in list order is named.
    expect(await conflict([row('b1', 'b'), row('a2', 'a'), row('c1', 'c')])).toEqual({ code: 'VNFD_EXISTS', details: { vnfd: 'eu.test/a/1.0' } });
    expect(await conflict([row('d1', 'd'), row('e1', 'e'), row('d2', 'd')])).toEqual({ code: 'VNFD_EXISTS', details: { vnfd: 'eu.test/d/1.0' } });
    for (const id of ['b1', 'c1', 'd1', 'e1']) expect(await vnfdRepository(store.db, now).get(id)).toBeUndefined();
    const recs = await vnfdRepository(store.db, now).insertOnboardedMany([row('z1', 'z'), row('y1', 'y'), row('x1', 'x')]);
    expect(recs.map((r) => [r.id, r.name, r.onboardingState, r.operationalState, r.vnfdId])).toEqual([
      ['z1', 'z', 'ONBOARDED', 'ENABLED', 'eu.test.z.1.0'],
      ['y1', 'y', 'ONBOARDED', 'ENABLED', 'eu.test.y.1.0'],
      ['x1', 'x', 'ONBOARDED', 'ENABLED', 'eu.test.x.1.0'],
    ]);
    expect(recs[1]?.descriptor?.source).toEqual({ name: 'y' });
    expect((await vnfdRepository(store.db, now).listByPackage('p5')).map((r) => r.id).sort()).toEqual(['x1', 'y1', 'z1']);
  });

  it('a failed transaction leaves no row behind', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await packageRepository(trx).insert(pkg('p9', '9.0'));
        await vnfdRepository(trx, now).insertOnboarded('v9', { packageId: 'p9', vendor: 'eu.test', name: 'a', version: '1.0', format: 'tango', file: 'x' }, vnfd('a'));
      }),
    ).rejects.toMatchObject({ code: 'VNFD_EXISTS' });
    expect(await packageRepository(store.db).get('p9')).toBeUndefined();
  });
});
