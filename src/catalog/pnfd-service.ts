import { readSol001Pnfd } from '../descriptors/index.js';
import { ConflictError, NotFoundError, PackageInvalidError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../model/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import type { UploadInput } from './catalog-service.js';
import type { PnfdRecord, PnfdRepository } from './pnfd-store-port.js';

/** What {@link createPnfdService} is built from. */
export interface PnfdServiceDeps {
  readonly repo: PnfdRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly maxUploadBytes: number;
}

/** The media types a PNFD upload may have: one YAML file (SOL005 §5.4.7.3.3 text/plain). */
const YAML_TYPES = ['text/plain', 'application/yaml', 'application/x-yaml', 'text/yaml'];

async function readAll(input: UploadInput, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of input.source) {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(c as string);
    size += b.length;
    if (size > max) {
      input.source.destroy();
      throw new PayloadTooLargeError(max);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * SOL005 PNFD management (`/nsd/v1/pnf_descriptors`): PnfdInfo resources, their one
 * SOL001 TOSCA file, and their states. An upload on-boards at once: a valid PNFD becomes
 * ONBOARDED, an invalid one ERROR with `onboardingFailureDetails` (and the upload answers
 * 422 naming the file and field). Rondo's NSDs never reference PNFDs, so a PNFD stays
 * NOT_IN_USE. Reads take a scope (a tenant, or undefined for every tenant); another
 * tenant's PNFD is NotFoundError.
 */
export function createPnfdService(d: PnfdServiceDeps) {
  const visible = async (id: string, scope: string | undefined): Promise<PnfdRecord> => {
    const r = await d.repo.get(id);
    if (!r || (scope !== undefined && r.tenant !== scope)) throw new NotFoundError('PNFD', id);
    return r;
  };
  const conflict = (r: PnfdRecord, what: string) =>
    new ConflictError(`PNFD ${r.id} is ${r.onboardingState}; ${what}`, { code: 'STATE_CONFLICT', details: { pnfdOnboardingState: r.onboardingState } });

  return {
    /** A PnfdInfo without content (CREATED, NOT_IN_USE). */
    async create(userDefinedData: Record<string, unknown>, tenant: string): Promise<PnfdRecord> {
      const now = d.clock.now();
      return d.repo.insert({
        id: d.ids.next(),
        tenant,
        pnfdId: null,
        name: null,
        version: null,
        provider: null,
        invariantId: null,
        onboardingState: 'CREATED',
        usageState: 'NOT_IN_USE',
        userDefinedData,
        failureDetails: null,
        fileName: null,
        content: null,
        createdAt: now,
        updatedAt: now,
      });
    },

    async list(scope: string | undefined): Promise<PnfdRecord[]> {
      return d.repo.list(scope);
    },

    /** One PNFD; NotFoundError when missing or outside `scope`. */
    get: visible,

    /** Merges `userDefinedData` (SOL005 PnfdInfoModifications, a JSON merge patch: null removes a key). */
    async patch(id: string, userDefinedData: Record<string, unknown>, scope: string | undefined): Promise<PnfdRecord> {
      const r = await visible(id, scope);
      const merged: Record<string, unknown> = { ...r.userDefinedData };
      for (const [k, v] of Object.entries(userDefinedData)) {
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      const after = await d.repo.setUserDefinedData(id, merged, d.clock.now());
      if (!after) throw new NotFoundError('PNFD', id);
      return after;
    },

    /** Deletes a NOT_IN_USE PNFD (SOL005 §5.4.6.3.5); ConflictError when in use. */
    async delete(id: string, scope: string | undefined): Promise<PnfdRecord> {
      const r = await visible(id, scope);
      if (r.usageState !== 'NOT_IN_USE') throw new ConflictError(`PNFD ${id} is IN_USE; delete the NSDs that use it first`, { code: 'STATE_CONFLICT', details: { pnfdUsageState: r.usageState } });
      if (!(await d.repo.deleteUnused(id))) throw new ConflictError(`PNFD ${id} could not be deleted; read it again`, { code: 'STATE_CONFLICT' });
      return r;
    },

    /**
     * Uploads and on-boards the PNFD file. Throws NotFoundError, ConflictError
     * `STATE_CONFLICT` unless CREATED, UnsupportedMediaTypeError for anything but one YAML
     * file, PayloadTooLargeError, and PackageInvalidError (422, issues naming the file and
     * field) after recording the failure (ERROR). Resolves the ONBOARDED record.
     */
    async upload(id: string, input: UploadInput, scope: string | undefined): Promise<PnfdRecord> {
      const r = await visible(id, scope);
      if (r.onboardingState !== 'CREATED') throw conflict(r, 'a PNFD takes its content once; create another PnfdInfo');
      const type = (input.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (!YAML_TYPES.includes(type)) {
        input.source.resume();
        throw new UnsupportedMediaTypeError(type); // a PNFD is one SOL001 YAML file (text/plain)
      }
      const text = await readAll(input, d.maxUploadBytes);
      const file = input.fileName ?? 'pnfd.yaml';
      const read = readSol001Pnfd(text, file);
      const at = d.clock.now();
      if (!read.ok) {
        const e = new PackageInvalidError(read.error);
        const failed = await d.repo.completeUpload(id, { state: 'ERROR', failure: { status: e.status, detail: e.message } }, at);
        if (!failed) throw conflict((await d.repo.get(id)) ?? r, 'another upload came first');
        throw e;
      }
      const p = read.value;
      const done = await d.repo.completeUpload(id, { state: 'ONBOARDED', pnfdId: p.pnfdId, name: p.name, version: p.version, provider: p.provider, invariantId: p.invariantId, fileName: file, content: text }, at);
      if (!done) throw conflict((await d.repo.get(id)) ?? r, 'another upload came first');
      return done;
    },
  };
}

/** The PNFD service's type. */
export type PnfdService = ReturnType<typeof createPnfdService>;
