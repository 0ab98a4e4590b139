import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError } from '../model/index.js';
import type { Nsd, Vnfd } from '../model/index.js';
import type { DescriptorSource } from '../lifecycle/index.js';
import type { Database } from './schema.js';
import { nsdRepository } from './nsd-repository.js';
import { vnfdRepository } from './vnfd-repository.js';
import type { NsdRecord } from './catalog-records.js';

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
  return {
    async getNsd(nsdInfoId) {
      return (await nsdRecord(nsdInfoId)).descriptor;
    },
    async getVnfds(nsdInfoId) {
      const rec = await nsdRecord(nsdInfoId);
      const vnfds = vnfdRepository(db);
      const known = (await Promise.all(rec.vnfdIds.map((id) => vnfds.get(id)))).flatMap((r) => (r?.descriptor ? [r.descriptor] : []));
      const out: Record<string, Vnfd> = {};
      for (const member of rec.descriptor.vnfs) {
        const found = known.find((v) => sameRef(v, member.vnfd)) ?? (await vnfds.findOnboarded(rec.tenant, member.vnfd))?.descriptor ?? undefined;
        if (!found) {
          throw new ConflictError(`VNFD of member ${member.vnfId} of NSD ${nsdInfoId} is not on-boarded; on-board it first`, { code: 'STATE_CONFLICT', details: { nsdInfoId, vnfId: member.vnfId } });
        }
        out[member.vnfId] = found;
      }
      return out;
    },
  };
}
