import { VimError } from '../model/index.js';
import type { VimAccount } from '../model/index.js';
import { createDockerVimDriver } from './docker/docker-vim-driver.js';
import { createMemoryVimDriver } from './memory/memory-vim-driver.js';
import type { VimDriver } from './vim-driver.js';

const numberOr = (v: unknown, fallback: number | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * The driver for a VIM account (PoP): `memory` (the deterministic fake), `docker`
 * (`endpoint` unix:// or tcp://, PoP-scoped by the account id unless `config.popId` says
 * otherwise). Throws VimError NOT_SUPPORTED for `openstack` (not yet written) and
 * unknown types.
 */
export function createVimDriver(account: VimAccount): VimDriver {
  const popId = typeof account.config.popId === 'string' ? account.config.popId : account.id;
  switch (account.type) {
    case 'memory':
      return createMemoryVimDriver({ name: account.name, popId, capacity: account.capacity ?? undefined });
    case 'docker':
      return createDockerVimDriver({
        name: account.name,
        endpoint: account.endpoint,
        popId,
        callTimeoutMs: numberOr(account.config.callTimeoutMs, undefined),
        execTimeoutMs: numberOr(account.config.execTimeoutMs, undefined),
      });
    default:
      throw new VimError('NOT_SUPPORTED', account.name, `VIM type ${account.type} is not supported yet; use docker or memory`);
  }
}
