import { NotFoundError } from '../model/index.js';
import type { NsdRecord } from './catalog-records.js';
import type { CatalogRepositories } from './catalog-store-port.js';

/**
 * Marks an NSD and every VNFD it uses as IN_USE by one more NS instance. Call it with the
 * repositories of the transaction that creates the NS instance, so both commit or neither does. Throws
 * NotFoundError, or ConflictError `STATE_CONFLICT` when the NSD or a VNFD is not
 * ONBOARDED and ENABLED (SOL005: a disabled NSD cannot be instantiated).
 */
export async function useNsd(repos: CatalogRepositories, nsdInfoId: string): Promise<NsdRecord> {
  const nsds = repos.nsds;
  const nsd = await nsds.get(nsdInfoId);
  if (!nsd) throw new NotFoundError('NSD', nsdInfoId);
  await nsds.acquire([nsdInfoId]);
  await repos.vnfds.acquire(nsd.vnfdIds);
  return nsd;
}

/**
 * Counts one NS instance fewer on an NSD and its VNFDs; each goes back to NOT_IN_USE
 * when no instance is left. Idempotent at zero; a missing NSD is ignored (it cannot be
 * deleted while in use, so it was never acquired).
 */
export async function releaseNsd(repos: CatalogRepositories, nsdInfoId: string): Promise<void> {
  const nsds = repos.nsds;
  const nsd = await nsds.get(nsdInfoId);
  if (!nsd) return;
  await nsds.release([nsdInfoId]);
  await repos.vnfds.release(nsd.vnfdIds);
}
