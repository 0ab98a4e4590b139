import type { Kysely } from 'kysely';
import { NotFoundError } from '../model/index.js';
import type { Database } from '../store/index.js';
import { nsdRepository, vnfdRepository } from '../store/catalog-store.js';
import type { NsdRecord } from '../store/catalog-store.js';

/**
 * Marks an NSD and every VNFD it uses as IN_USE by one more NS instance. Call it with the
 * transaction that creates the NS instance, so both commit or neither does. Throws
 * NotFoundError, or ConflictError `STATE_CONFLICT` when the NSD or a VNFD is not
 * ONBOARDED and ENABLED (SOL005: a disabled NSD cannot be instantiated).
 */
export async function useNsd(db: Kysely<Database>, nsdInfoId: string, now: () => Date = () => new Date()): Promise<NsdRecord> {
  const nsds = nsdRepository(db, now);
  const nsd = await nsds.get(nsdInfoId);
  if (!nsd) throw new NotFoundError('NSD', nsdInfoId);
  await nsds.acquire([nsdInfoId]);
  await vnfdRepository(db, now).acquire(nsd.vnfdIds);
  return nsd;
}

/**
 * Counts one NS instance fewer on an NSD and its VNFDs; each goes back to NOT_IN_USE
 * when no instance is left. Idempotent at zero; a missing NSD is ignored (it cannot be
 * deleted while in use, so it was never acquired).
 */
export async function releaseNsd(db: Kysely<Database>, nsdInfoId: string, now: () => Date = () => new Date()): Promise<void> {
  const nsds = nsdRepository(db, now);
  const nsd = await nsds.get(nsdInfoId);
  if (!nsd) return;
  await nsds.release([nsdInfoId]);
  await vnfdRepository(db, now).release(nsd.vnfdIds);
}
