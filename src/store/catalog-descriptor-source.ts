import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError } from '../model/index.js';
import type { Nsd, Vnfd } from '../model/index.js';
import type { DescriptorSource } from '../lifecycle/index.js';
import type { Database } from './schema.js';
import { nsdRepository } from './nsd-repository.js';
import { vnfdRepository } from './vnfd-repository.js';
import type { NsdRecord, VnfdRecord } from './catalog-records.js';

const sameRef = (vnfd: Vnfd, ref: Nsd['vnfs'][number]['vnfd']): boolean =>
  'descriptorId' in ref
    ? vnfd.descriptorId === ref.descriptorId
    : vnfd.ref.vendor === ref.vendor && vnfd.ref.name === ref.name && vnfd.ref.version === ref.version;

/**
 * The lifecycle's {@link DescriptorSource} over the catalog tables: NSDs by their
 * catalog id (NsdInfo id), VNFDs resolved among the NSD's `vnfd_ids` by member. Pass a
 * transaction as `db` to read inside it. Throws NotFoundError for an unknown NSD and
 * ConflictError `STATE_CONFLICT` for one not ONBOARDED or a member whose VNFD is gone.
 */
export function catalogDescriptorSource(db: Kysely<Database>): DescriptorSource {
  const nsdRecord = async (nsdInfoId: string): Promise<NsdRecord & { descriptor: Nsd }> => {
    const rec = await nsdRepository(db).get(nsdInfoId);
    if (!rec) throw new NotFoundError('NSD', nsdInfoId);
    if (rec.onboardingState !== 'ONBOARDED' || !rec.descriptor) {
      throw new ConflictError(`NSD ${nsdInfoId} is ${rec.onboardingState}; upload its content first`, { code: 'STATE_CONFLICT', details: { nsdInfoId } });
    }
    return rec as NsdRecord & { descriptor: Nsd };
  };
  /** The on-boarded VNFD record of each member, among the NSD's `vnfd_ids` first, then the tenant's catalog. */
  const memberVnfds = async (nsdInfoId: string): Promise<Record<string, VnfdRecord & { descriptor: Vnfd }>> => {
    const rec = await nsdRecord(nsdInfoId);
    const vnfds = vnfdRepository(db);
    const known = (await Promise.all(rec.vnfdIds.map((id) => vnfds.get(id)))).flatMap((r) => (r?.descriptor ? [r as VnfdRecord & { descriptor: Vnfd }] : []));
    const out: Record<string, VnfdRecord & { descriptor: Vnfd }> = {};
    for (const member of rec.descriptor.vnfs) {
      const external = known.some((v) => sameRef(v.descriptor, member.vnfd)) ? undefined : await vnfds.findOnboarded(rec.tenant, member.vnfd);
      const found = known.find((v) => sameRef(v.descriptor, member.vnfd)) ?? (external?.descriptor ? (external as VnfdRecord & { descriptor: Vnfd }) : undefined);
      if (!found) {
        throw new ConflictError(`VNFD of member ${member.vnfId} of NSD ${nsdInfoId} is not on-boarded; on-board it first`, { code: 'STATE_CONFLICT', details: { nsdInfoId, vnfId: member.vnfId } });
      }
      out[member.vnfId] = found;
    }
    return out;
  };
  return {
    async getNsd(nsdInfoId) {
      return (await nsdRecord(nsdInfoId)).descriptor;
    },
    async getVnfds(nsdInfoId) {
      const members = await memberVnfds(nsdInfoId);
      return Object.fromEntries(Object.entries(members).map(([vnfId, r]) => [vnfId, r.descriptor]));
    },
    async getVnfPkgIds(nsdInfoId) {
      // Each VNFD row is also its SOL005 VnfPkgInfo, so the package id is the row's id.
      const members = await memberVnfds(nsdInfoId);
      return Object.fromEntries(Object.entries(members).map(([vnfId, r]) => [vnfId, r.id]));
    },
    async resolveNsdInfoId(nsdId, tenant) {
      const carrying = await nsdRepository(db).listByNsdId(nsdId, tenant);
      if (carrying.length === 0) return nsdId;
      const usable = carrying.filter((r) => r.onboardingState === 'ONBOARDED' && r.operationalState === 'ENABLED');
      if (usable.length === 1 && usable[0]) return usable[0].id;
      const ids = (usable.length > 0 ? usable : carrying).map((r) => r.id);
      if (usable.length > 1) {
        throw new ConflictError(`${usable.length} on-boarded, enabled NSDs carry nsdId ${nsdId} (NsdInfo ${ids.join(', ')}); name one by its NsdInfo id, or disable the others`, {
          code: 'NSD_ID_AMBIGUOUS', details: { nsdId, nsdInfoIds: ids },
        });
      }
      throw new ConflictError(`no NSD with nsdId ${nsdId} is ONBOARDED and ENABLED (NsdInfo ${ids.join(', ')}); finish on-boarding or enable one`, {
        code: 'STATE_CONFLICT', details: { nsdId, nsdInfoIds: ids },
      });
    },
  };
}
